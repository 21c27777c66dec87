/**
 * The runtime every generated codec imports, on layouts described here by hand: issue records and
 * their paths, width checks, truncation, size multiples, and the byte helpers.
 */
import { describe, expect, it } from 'vitest';
import {
  anyNonZero,
  decodeTruncated,
  hex,
  nestIssues,
  noIssues,
  padTruncated,
  readU64LE,
  readUintBE,
  readUintLE,
  withFieldIssue,
  withIssue,
  withSizeMultipleIssue,
  withWidthIssues,
  writeUintBE,
  writeUintLE,
  type Decoded,
  type FieldMeta,
  type LayoutIssue,
  type LayoutMeta,
} from './codec-runtime.ts';

const field = (partial: Partial<FieldMeta> & Pick<FieldMeta, 'specName' | 'offset' | 'bits'>): FieldMeta => ({
  name: partial.specName,
  bit: 0,
  type: 'uint',
  access: 'RO',
  doc: 'd',
  ...partial,
});

/** A 16-byte layout: a byte with a requirement, two nibbles, a 32-bit word, a 64-bit word, 2 bytes, an array of 2. */
const meta: LayoutMeta = {
  name: 'demo',
  title: 'Demo',
  size: 16,
  variable: false,
  spec: 'virtio',
  ref: 'TEST',
  proposal: false,
  fields: [
    field({ specName: 'id', offset: 0, bits: 8, requirement: 'DEMO-01' }),
    field({ specName: 'low', offset: 1, bits: 4 }),
    field({ specName: 'high', offset: 1, bit: 4, bits: 4, type: 'flags' }),
    field({ specName: 'word', offset: 2, bits: 32, type: 'enum' }),
    field({ specName: 'quad', offset: 6, bits: 64 }),
    field({ specName: 'on', offset: 14, bits: 1, type: 'bool' }),
    field({ specName: 'rest_of_byte', offset: 14, bit: 1, bits: 7 }),
    field({ specName: 'pair', offset: 15, bits: 8, type: 'array', count: 2 }),
  ],
};
const variable: LayoutMeta = { ...meta, name: 'tailed', size: 2, variable: true, sizeMultipleOf: 4, fields: [field({ specName: 'head', offset: 0, bits: 16 }), field({ specName: 'tail', offset: 2, bits: 0, type: 'bytes' })] };

const fitting = { id: 1, low: 2, high: 3, word: 0xffffffff, quad: 0xffff_ffff_ffff_ffffn, on: true, restOfByte: 0, rest_of_byte: 0, pair: [1, 2] };

describe('issue records', () => {
  it('name the layout, the field path, the absolute offset, the value in hex and the requirement', () => {
    const issues = withFieldIssue(noIssues, meta, 0, 100, 'const', 0x1f, 'const 0x9');
    expect(issues).toEqual([
      { code: 'const', layout: 'demo', path: ['id'], byteOffset: 100, actual: 0x1f, expected: 'const 0x9', requirement: 'DEMO-01', message: 'demo.id at byte 100: expected const 0x9, found 0x1f' },
    ]);
  });

  it('leave out a requirement the field does not name, and show a description as it is', () => {
    const [issue] = withFieldIssue(noIssues, meta, 3, 0, 'enum', 'non-zero bytes', 'a kind value');
    expect(issue).not.toHaveProperty('requirement');
    expect(issue!.message).toBe('demo.word at byte 2: expected a kind value, found non-zero bytes');
    expect(withFieldIssue(noIssues, meta, 4, 0, 'range', 0x1_0000_0000n, 'range [0, 1]')[0]!.message).toBe('demo.quad at byte 6: expected range [0, 1], found 0x100000000');
  });

  it('start from the shared frozen empty list without changing it, then grow one list', () => {
    expect(Object.isFrozen(noIssues)).toBe(true);
    const first = withIssue(noIssues, withFieldIssue(noIssues, meta, 1, 0, 'range', 1, 'x')[0]!);
    const second = withIssue(first, first[0]!);
    expect(noIssues).toEqual([]);
    expect(second).toBe(first);
    expect(second).toHaveLength(2);
  });

  it('put the issues of a nested layout under the field that holds it, shifted by its offset', () => {
    const inner = withFieldIssue(noIssues, meta, 0, 2, 'const', 3, 'const 0x9');
    const nested = nestIssues(inner, noIssues, 'header', 10);
    expect(nested.map((issue) => [issue.path, issue.byteOffset])).toEqual([[['header', 'id'], 12]]);
    expect(inner[0]!.path).toEqual(['id']);
  });
});

describe('width checks', () => {
  it('accept values that fit every field', () => {
    expect(withWidthIssues(noIssues, meta, fitting)).toBe(noIssues);
  });

  it('refuse numbers outside the width, fractions and bigints where a number belongs, and the other way round', () => {
    const issues = withWidthIssues(noIssues, meta, { ...fitting, id: 256, low: -1, high: 1.5, word: 1n, quad: 5 });
    expect(issues.map((issue) => [issue.path[0], issue.expected])).toEqual([
      ['id', 'an integer in [0, 255]'],
      ['low', 'an integer in [0, 15]'],
      ['high', 'an integer in [0, 15]'],
      ['word', 'an integer in [0, 4294967295]'],
      ['quad', 'a bigint in [0, 18446744073709551615]'],
    ]);
    expect(issues[0]).toMatchObject({ code: 'width', byteOffset: 0, actual: 'a value that does not fit', requirement: 'DEMO-01' });
    expect(withWidthIssues(noIssues, meta, { ...fitting, quad: 1n << 64n }).map((issue) => issue.path[0])).toEqual(['quad']);
  });

  it('refuse byte strings and arrays of the wrong length, but not a tail of any length', () => {
    const bytesMeta: LayoutMeta = { ...meta, fields: [field({ specName: 'mac', offset: 0, bits: 48, type: 'bytes' }), field({ specName: 'tail', offset: 6, bits: 0, type: 'bytes' })] };
    expect(withWidthIssues(noIssues, bytesMeta, { mac: new Uint8Array(5), tail: new Uint8Array(99) }).map((issue) => issue.expected)).toEqual(['6 bytes']);
    expect(withWidthIssues(noIssues, meta, { ...fitting, pair: [1] }).map((issue) => issue.expected)).toEqual(['2 elements']);
  });

  it('append to the issues found before, after them', () => {
    const before = withFieldIssue(noIssues, meta, 0, 0, 'const', 1, 'const 0x9');
    expect(withWidthIssues(before, meta, { ...fitting, low: 16 }).map((issue) => issue.code)).toEqual(['const', 'width']);
  });
});

describe('size multiples', () => {
  it('hold a variable layout to a multiple of its size, from its offset', () => {
    expect(withSizeMultipleIssue(noIssues, variable, 4, 12)).toBe(noIssues);
    expect(withSizeMultipleIssue(noIssues, variable, 4, 10)).toEqual([
      { code: 'size-multiple', layout: 'tailed', path: [], byteOffset: 4, actual: 6, expected: 'size multiple of 4', message: 'tailed at byte 4: size 6 is not a multiple of 4' },
    ]);
    expect(withSizeMultipleIssue(noIssues, meta, 0, 3)).toBe(noIssues);
  });
});

describe('truncation', () => {
  /** A decoder of `meta` that reads `id` and refuses any id but 9, as generated code would. */
  function decodeDemo(bytes: Uint8Array, offset: number, end: number): Decoded<{ id: number; low: number }> {
    if (offset < 0 || offset + meta.size > end || end > bytes.length) return decodeTruncated(meta, decodeDemo, bytes, offset, end);
    const value = { id: bytes[offset]!, low: bytes[offset + 1]! & 0xf };
    let issues: LayoutIssue[] = noIssues;
    if (value.id !== 9) issues = withFieldIssue(issues, meta, 0, offset, 'const', value.id, 'const 0x9');
    if (value.low !== 0) issues = withFieldIssue(issues, meta, 1, offset, 'const', value.low, 'const 0x0');
    return { value, issues };
  }

  it('decodes what is there, keeps the issues of whole fields at their real offset, and reports every cut field once', () => {
    const bytes = new Uint8Array([0xaa, 0xaa, 0x07, 0x01, 0xff]);
    const decoded = decodeDemo(bytes, 2, bytes.length);
    expect(decoded.value).toEqual({ id: 7, low: 1 });
    expect(decoded.issues.map((issue) => `${issue.code}:${issue.path[0]}@${issue.byteOffset}`)).toEqual([
      'const:id@2',
      'const:low@3',
      'truncated:word@4',
      'truncated:quad@8',
      'truncated:on@16',
      'truncated:rest_of_byte@16',
      'truncated:pair@17',
    ]);
    expect(decoded.issues[2]).toEqual({
      code: 'truncated',
      layout: 'demo',
      path: ['word'],
      byteOffset: 4,
      actual: 3,
      expected: '6 bytes',
      message: 'demo.word at byte 4: data ends after 3 of 16 bytes',
    });
  });

  it('does not judge the zero padding of a cut field', () => {
    // id is missing: the padding would break const 0x9, but only truncation is reported for it.
    const decoded = decodeDemo(new Uint8Array(0), 0, 0);
    expect(decoded.issues.every((issue) => issue.code === 'truncated')).toBe(true);
    expect(decoded.issues).toHaveLength(meta.fields.length);
  });

  it('reads a negative offset as no data, and an end past the buffer as the buffer end', () => {
    const bytes = new Uint8Array(16).fill(9);
    expect(decodeDemo(bytes, -1, 16).issues.map((issue) => issue.actual)).toEqual(new Array(meta.fields.length).fill(0));
    expect(decodeDemo(bytes, 0, 20).issues.filter((issue) => issue.code === 'truncated')).toEqual([]);
  });

  it('does not judge the size of a variable layout it could not read whole', () => {
    function decodeTailed(bytes: Uint8Array, offset: number, end: number): Decoded<{ head: number }> {
      if (offset + variable.size > end || end > bytes.length) return decodeTruncated(variable, decodeTailed, bytes, offset, end);
      return { value: { head: bytes[offset]! }, issues: withSizeMultipleIssue(noIssues, variable, offset, end) };
    }
    expect(decodeTailed(new Uint8Array([1]), 0, 1).issues.map((issue) => `${issue.code}:${issue.path[0]}`)).toEqual(['truncated:head', 'truncated:tail']);
  });

  it('pads what is available into a buffer of the full size', () => {
    expect([...padTruncated(new Uint8Array([1, 2, 3, 4]), 2, 4)]).toEqual([3, 4, 0, 0]);
    expect([...padTruncated(new Uint8Array([1, 2]), -1, 2)]).toEqual([0, 0]);
    expect([...padTruncated(new Uint8Array([1, 2]), 5, 2)]).toEqual([0, 0]);
  });
});

describe('byte helpers', () => {
  it('read and write unsigned integers of 1 to 8 bytes in both byte orders', () => {
    const bytes = new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88]);
    expect(readUintLE(bytes, 0, 8)).toBe(0x8807060504030201n);
    expect(readUintBE(bytes, 1, 3)).toBe(0x020304n);
    expect(readU64LE(bytes, 0)).toBe(0x8807060504030201n);
    const target = new Uint8Array(6);
    writeUintLE(target, 0, 3, 0x0a0b0cn);
    writeUintBE(target, 3, 3, 0x0a0b0cn);
    expect([...target]).toEqual([0x0c, 0x0b, 0x0a, 0x0a, 0x0b, 0x0c]);
  });

  it('read bytes past the end as zero rather than failing', () => {
    expect(readUintLE(new Uint8Array([0xff]), 0, 2)).toBe(0xffn);
  });

  it('show values in hex and find a non-zero byte', () => {
    expect([hex(0), hex(255), hex(1n << 40n)]).toEqual(['0x0', '0xff', '0x10000000000']);
    expect([anyNonZero(new Uint8Array(4)), anyNonZero(new Uint8Array([0, 0, 3])), anyNonZero(new Uint8Array(0))]).toEqual([false, true, false]);
  });
});
