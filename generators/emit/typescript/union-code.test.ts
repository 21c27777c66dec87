/** The union codecs the codec emitter writes: dispatch on the discriminator, both ways. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decoded, LayoutIssue, UnionMeta } from '../../../core/codec-runtime.ts';
import { demoSpec, demoUnion } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { typescriptEmitter } from '../typescript.ts';
import { emitUnion } from './union-code.ts';

interface UnionModule {
  demoUnionUnion: UnionMeta;
  decodeDemoUnion(bytes: Uint8Array, offset?: number, end?: number): Decoded<{ variant: string; value: Record<string, unknown> }>;
  encodeDemoUnion(value: { variant: string; value: Record<string, unknown> }): Uint8Array;
  checkDemoUnion(value: { variant: string; value: Record<string, unknown> }): LayoutIssue[];
}
let tree: EmittedTree;
let union: UnionModule;

beforeAll(async () => {
  tree = writeEmitted(typescriptEmitter.emit(demoSpec()));
  union = await tree.load<UnionModule>('generated/ts/demo/demo-union.ts');
});

afterAll(() => tree.remove());

describe('emitted unions', () => {
  it('describe which discriminator value selects which layout', () => {
    expect(union.demoUnionUnion).toEqual({
      name: 'demo_union',
      title: 'demo_union title',
      spec: 'virtio',
      ref: 'TEST §2',
      proposal: false,
      discriminator: { offset: 0, bits: 16, mask: 0xff },
      cases: [{ values: [2, 4], layout: 'demo_case_a' }],
      defaultLayout: 'demo_case_default',
    });
  });

  it('decode the case the masked discriminator selects, and the default for any other value', () => {
    expect(union.decodeDemoUnion(new Uint8Array([0x04, 0x80, 0x05, 0x00])).value).toEqual({ variant: 'demo_case_a', value: { hdr: { sel: 0x8004 }, value: 5 } });
    expect(union.decodeDemoUnion(new Uint8Array([0x03, 0x00, 0x00, 0x00])).value).toEqual({ variant: 'demo_case_default', value: { sel: 3, data: 0 } });
  });

  it('pass the case issues through, and decode too little data as the default case, truncated', () => {
    const caseA = union.decodeDemoUnion(new Uint8Array([0x02, 0x00, 0x65, 0x00]));
    expect(caseA.issues.map((issue) => `${issue.code}:${issue.path.join('.')}`)).toEqual(['range:value']);
    const short = union.decodeDemoUnion(new Uint8Array([0x02]));
    expect(short.value.variant).toBe('demo_case_default');
    expect(short.issues.every((issue) => issue.code === 'truncated')).toBe(true);
  });

  it('encode and check with the codec of the variant', () => {
    expect([...union.encodeDemoUnion({ variant: 'demo_case_default', value: { sel: 7, data: 0 } })]).toEqual([7, 0, 0, 0]);
    expect(union.checkDemoUnion({ variant: 'demo_case_default', value: { sel: 7, data: 1 } }).map((issue) => issue.code)).toEqual(['reserved-nonzero']);
  });

  it('lists each layout once in its type, the default included', () => {
    expect(emitUnion(demoUnion).match(/\| \{ variant: '[a-z_]+'; value: \w+ \}/g)).toEqual([
      "| { variant: 'demo_case_a'; value: DemoCaseA }",
      "| { variant: 'demo_case_default'; value: DemoCaseDefault }",
    ]);
  });
});
