/**
 * The checkers the codec emitter writes: one issue per broken constraint in the kinds' order, the
 * generic width checks of check(), nested paths, and statements only where something can break.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayoutIssue } from '../../../core/codec-runtime.ts';
import { demoCap, demoSpec } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { typescriptEmitter } from '../typescript.ts';
import { fieldChecks } from './layout-checker.ts';

type Check = (value: Record<string, unknown>) => LayoutIssue[];
let tree: EmittedTree;
const checkers: Record<string, Check> = {};

const valid = {
  magic: 9,
  len: 16,
  kind: 2,
  flags: 0x41,
  rsvd: 0,
  order: 4,
  span: 6,
  on: true,
  openKind: 7,
  addr: 0x1_0000_0008n,
  pad: new Uint8Array([0, 0]),
  words: [0x0102, 0x0304, 0, 0xffff],
  inner: { sel: 0x8000 },
  blob: new Uint8Array([1, 2, 3, 4, 5]),
};

beforeAll(async () => {
  tree = writeEmitted(typescriptEmitter.emit(demoSpec()));
  for (const [module, name] of [['demo-cap', 'DemoCap'], ['demo-big', 'DemoBig']] as const) {
    checkers[name] = (await tree.load<Record<string, Check>>(`generated/ts/demo/${module}.ts`))[`check${name}`]!;
  }
});

afterAll(() => tree.remove());

const summary = (issues: LayoutIssue[]): string[] => issues.map((issue) => `${issue.code}:${issue.path.join('.')}@${issue.byteOffset}`);

describe('emitted checkers', () => {
  it('accept a valid value', () => {
    expect(checkers.DemoCap!(valid)).toEqual([]);
  });

  it('report each broken constraint once, in field order and then in the kinds order', () => {
    const issues = checkers.DemoCap!({ ...valid, magic: 8, len: 13, kind: 3, flags: 0x42, rsvd: 1, order: 3, span: 3, addr: 0x1_0000_0001n, pad: new Uint8Array([0, 1]) });
    expect(summary(issues)).toEqual([
      'const:magic@0',
      'range:len@1',
      'align:len@1',
      'enum:kind@2',
      'flags:flags@3',
      'reserved-nonzero:rsvd@4',
      'power-of-two:order@4',
      'not-equal:span@5',
      'align:addr@7',
      'reserved-nonzero:pad@15',
    ]);
  });

  it('write issues a person can read, with the requirement the field names', () => {
    const [issue] = checkers.DemoCap!({ ...valid, magic: 0x0a });
    expect(issue).toEqual({
      code: 'const',
      layout: 'demo_cap',
      path: ['magic'],
      byteOffset: 0,
      actual: 0x0a,
      expected: 'const 0x9',
      requirement: 'DEMO-01',
      message: 'demo_cap.magic at byte 0: expected const 0x9, found 0xa',
    });
    const [bytes] = checkers.DemoCap!({ ...valid, pad: new Uint8Array([0, 9]) });
    expect(bytes!.message).toBe('demo_cap.pad at byte 15: expected 0 (reserved, zero), found non-zero bytes');
  });

  it('report values that do not fit their field, and nested issues under the nesting field with its offset', () => {
    const issues = checkers.DemoCap!({ ...valid, len: 256, addr: -1n, words: [1, 2, 3], inner: { sel: 3 } });
    expect(summary(issues)).toEqual(['range:addr@7', 'align:addr@7', 'width:len@1', 'width:addr@7', 'width:words@17', 'one-of:inner.sel@25']);
  });

  it('check reserved arrays element by element', () => {
    expect(summary(checkers.DemoBig!({ word: 0, low: 0, high: 0, zeros: [0, 1, 0] }))).toEqual(['reserved-nonzero:zeros@5']);
    expect(checkers.DemoBig!({ word: 0, low: 0, high: 0, zeros: [0, 0, 0] })).toEqual([]);
  });
});

describe('field checks', () => {
  it('emit nothing for fields that cannot break anything', () => {
    const index = (name: string) => demoCap.fields.findIndex((field) => field.specName === name);
    expect(fieldChecks(demoCap, index('on'), demoSpec())).toEqual([]);
    expect(fieldChecks(demoCap, index('open_kind'), demoSpec())).toEqual([]);
    expect(fieldChecks(demoCap, index('blob'), demoSpec())).toEqual([]);
    expect(fieldChecks(demoCap, index('inner'), demoSpec())).toEqual([]);
    expect(fieldChecks(demoCap, index('magic'), demoSpec())).toEqual([
      '{',
      '  const x = value.magic;',
      "  if (x !== 9) issues = withFieldIssue(issues, demoCapLayout, 0, base, 'const', x, 'const 0x9');",
      '}',
    ]);
  });
});
