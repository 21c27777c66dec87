/** The encoders the codec emitter writes, judged on bytes written here by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { fieldModel } from '../../../test-support/spec-model-builders.ts';
import { typescriptEmitter } from '../typescript.ts';
import { encodeStatements } from './layout-encoder.ts';

type Encode = (value: Record<string, unknown>, target?: Uint8Array, offset?: number) => Uint8Array;
let tree: EmittedTree;
const encoders: Record<string, Encode> = {};

beforeAll(async () => {
  tree = writeEmitted(typescriptEmitter.emit(demoSpec()));
  for (const [module, name] of [['demo-cap', 'DemoCap'], ['demo-big', 'DemoBig'], ['demo-pair', 'DemoPair'], ['demo-tailed', 'DemoTailed']] as const) {
    encoders[name] = (await tree.load<Record<string, Encode>>(`generated/ts/demo/${module}.ts`))[`encode${name}`]!;
  }
});

afterAll(() => tree.remove());

describe('emitted encoders', () => {
  it('write every kind of field where the layout puts it', () => {
    const bytes = encoders.DemoCap!({
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
    });
    expect([...bytes]).toEqual([
      0x09, 0x10, 0x02, 0x41, 0x40, 0x06, 0xf0, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x04, 0x03, 0x00, 0x00, 0xff, 0xff,
      0x00, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05,
    ]);
  });

  it('write big-endian words and leave the other bits of a shared byte alone', () => {
    const target = new Uint8Array(10).fill(0xcc);
    encoders.DemoBig!({ word: 0x12345678, low: 5, high: 0xa, zeros: [0, 0, 0] }, target, 1);
    expect([...target]).toEqual([0xcc, 0x12, 0x34, 0x56, 0x78, 0xa5, 0, 0, 0, 0xcc]);
  });

  it('cut a byte string that is too long and zero-fill one that is too short', () => {
    const base = { magic: 9, len: 16, kind: 2, flags: 0, rsvd: 0, order: 0, span: 6, on: false, openKind: 0, addr: 0n, pad: new Uint8Array(2), words: [0, 0, 0, 0], inner: { sel: 1 } };
    const target = new Uint8Array(32).fill(0xee);
    encoders.DemoCap!({ ...base, blob: new Uint8Array([1, 2]) }, target);
    expect([...target.subarray(27)]).toEqual([1, 2, 0, 0, 0]);
    expect([...encoders.DemoCap!({ ...base, blob: new Uint8Array([1, 2, 3, 4, 5, 6, 7]) }).subarray(27)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('size a new buffer to hold the tail, and encode arrays of layouts element by element', () => {
    expect([...encoders.DemoTailed!({ count: 1, head: { sel: 2 }, tail: new Uint8Array([7, 8, 9, 10, 11, 12]) })]).toEqual([1, 0, 2, 0, 7, 8, 9, 10, 11, 12]);
    expect([...encoders.DemoPair!({ items: [{ sel: 1 }, { sel: 0x8000 }] })]).toEqual([1, 0, 0, 0x80]);
  });
});

describe('encode statements', () => {
  it('write a missing array element as zero', () => {
    const field = fieldModel({ specName: 'words', offset: 2, bits: 32, type: 'array', array: { count: 2, bits: 16 } });
    expect(encodeStatements(field, false)).toEqual([
      't[o + 2] = (value.words[0] ?? 0) & 0xff;',
      't[o + 3] = ((value.words[0] ?? 0) >>> 8) & 0xff;',
      't[o + 4] = (value.words[1] ?? 0) & 0xff;',
      't[o + 5] = ((value.words[1] ?? 0) >>> 8) & 0xff;',
    ]);
  });
});
