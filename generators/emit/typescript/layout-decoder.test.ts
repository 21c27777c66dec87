/**
 * The decoders the codec emitter writes, loaded from a demo spec and fed bytes written here by hand:
 * every kind of field, bit fields, big-endian words, nested layouts, offsets, tails and truncation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decoded } from '../../../core/codec-runtime.ts';
import { demoSpec } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { typescriptEmitter } from '../typescript.ts';
import { decodeExpression } from './layout-decoder.ts';

type Decode = (bytes: Uint8Array, offset?: number, end?: number) => Decoded<Record<string, unknown>>;
let tree: EmittedTree;
const decoders: Record<string, Decode> = {};

/** The valid demo_cap of the test, byte by byte. */
const capBytes = [
  0x09, 0x10, 0x02, 0x41, 0x40, 0x06, 0xf0, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x04, 0x03, 0x00, 0x00, 0xff, 0xff, 0x00,
  0x80, 0x01, 0x02, 0x03, 0x04, 0x05,
];

beforeAll(async () => {
  tree = writeEmitted(typescriptEmitter.emit(demoSpec()));
  for (const [module, name] of [['demo-cap', 'DemoCap'], ['demo-big', 'DemoBig'], ['demo-pair', 'DemoPair'], ['demo-tailed', 'DemoTailed']] as const) {
    decoders[name] = (await tree.load<Record<string, Decode>>(`generated/ts/demo/${module}.ts`))[`decode${name}`]!;
  }
});

afterAll(() => tree.remove());

describe('emitted decoders', () => {
  it('decode every kind of field of a valid value, with no issue', () => {
    const decoded = decoders.DemoCap!(new Uint8Array(capBytes));
    expect(decoded.issues).toEqual([]);
    expect(decoded.value).toEqual({
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
  });

  it('decode at an offset into a larger buffer and report absolute byte offsets, nested paths included', () => {
    const bytes = new Uint8Array([0xee, 0xee, 0xee, ...capBytes]);
    bytes[3 + 25] = 0x03;
    bytes[3 + 26] = 0x00;
    const decoded = decoders.DemoCap!(bytes, 3);
    expect(decoded.value.magic).toBe(9);
    expect(decoded.issues.map((issue) => [issue.code, issue.path, issue.byteOffset])).toEqual([['one-of', ['inner', 'sel'], 28]]);
  });

  it('read big-endian words and bit fields counted from the least significant bit', () => {
    const decoded = decoders.DemoBig!(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0xa5, 0, 0, 0]));
    expect(decoded.value).toEqual({ word: 0x12345678, low: 5, high: 0xa, zeros: [0, 0, 0] });
    expect(decoded.issues).toEqual([]);
  });

  it('decode arrays of layouts element by element', () => {
    expect(decoders.DemoPair!(new Uint8Array([1, 0, 4, 0])).value).toEqual({ items: [{ sel: 1 }, { sel: 4 }] });
  });

  it('run a tail to the end of the data and judge the size of a variable layout', () => {
    const whole = decoders.DemoTailed!(new Uint8Array([1, 0, 2, 0, 7, 8, 9, 10]));
    expect(whole.value.tail).toEqual(new Uint8Array([7, 8, 9, 10]));
    expect(whole.issues).toEqual([]);
    const odd = decoders.DemoTailed!(new Uint8Array([1, 0, 2, 0, 7, 8, 9]));
    expect(odd.issues.map((issue) => [issue.code, issue.actual, issue.expected])).toEqual([['size-multiple', 7, 'size multiple of 4']]);
  });

  it('report cut fields as truncated, without judging the padding, and keep the issues of whole fields', () => {
    const decoded = decoders.DemoCap!(new Uint8Array([0x0a, 0x11, 0x02]));
    expect(decoded.issues.map((issue) => `${issue.code}:${issue.path.join('.')}`)).toEqual([
      'const:magic',
      'align:len',
      'truncated:flags',
      'truncated:rsvd',
      'truncated:order',
      'truncated:span',
      'truncated:on',
      'truncated:open_kind',
      'truncated:addr',
      'truncated:pad',
      'truncated:words',
      'truncated:inner',
      'truncated:blob',
    ]);
    expect(decoded.value.magic).toBe(0x0a);
  });

  it('treat a negative offset as no data at all, and an end past the buffer as the buffer end, never throwing', () => {
    const negative = decoders.DemoBig!(new Uint8Array(8).fill(0xff), -1);
    expect(negative.issues.map((issue) => issue.code)).toEqual(['truncated', 'truncated', 'truncated', 'truncated']);
    expect(negative.value).toEqual({ word: 0, low: 0, high: 0, zeros: [0, 0, 0] });
    const pastEnd = decoders.DemoBig!(new Uint8Array([0, 0, 0, 1, 0x21, 0, 0, 0]), 0, 9);
    expect(pastEnd.issues).toEqual([]);
    expect(pastEnd.value).toEqual({ word: 1, low: 1, high: 2, zeros: [0, 0, 0] });
  });
});

describe('decode expressions', () => {
  it('give byte strings as views of the input, bounded by the field or by the end for a tail', () => {
    expect(decodeExpression(demoSpecField('demo_cap', 'blob'), false)).toBe('b.subarray(o + 27, o + 32)');
    expect(decodeExpression(demoSpecField('demo_tailed', 'tail'), false)).toBe('b.subarray(o + 4, end)');
    expect(decodeExpression(demoSpecField('demo_cap', 'inner'), false)).toBe('n_inner.value');
  });
});

function demoSpecField(layout: string, field: string) {
  const model = demoSpec().layouts.get(layout);
  if (model?.kind !== 'layout') throw new Error(`no layout ${layout}`);
  return model.fields.find((candidate) => candidate.specName === field)!;
}
