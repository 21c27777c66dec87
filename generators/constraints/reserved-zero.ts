/**
 * RsvdZ access — reserved space that must read as zero. Unlike the other kinds it is not written
 * under `constraints:` but follows from `access: RsvdZ`, and it applies to byte strings and arrays of
 * integers as well as to integers, so this module also owns the checks and arbitraries of those.
 */
import { zeroLiteral, type ConstraintKind } from './constraint-kind.ts';

/** The issue `expected` of every reserved-zero breach. */
const expected = '0 (reserved, zero)';

/** The reserved-zero kind, for integer fields. */
export const reservedZeroKind: ConstraintKind = {
  name: 'reservedZero',
  code: 'reserved-nonzero',
  apply(rule) {
    if (!rule.reservedZero) return undefined;
    return {
      code: 'reserved-nonzero',
      expected,
      holds: (candidate) => candidate === 0n,
      brokenWhen: (x, asNumber) => `${x} !== ${zeroLiteral(asNumber)}`,
      cText: 'must be 0',
      docText: '0',
      allowed: [0n],
      breakable: true,
    };
  },
};

/**
 * A reserved byte string (fixed length or a `rest` tail): how generated code checks it and how
 * arbitraries draw it. The issue's `actual` is a description: the bytes themselves could make an issue
 * as large as the field.
 */
export const reservedBytes = {
  expected,
  actual: 'non-zero bytes',
  /** Source of a condition true when the bytes held in `value` are not all zero. */
  brokenWhen: (value: string) => `anyNonZero(${value})`,
  /** Source of an arbitrary of `length` zero bytes. */
  zero: (length: number) => `fc.constant(0).map(() => new Uint8Array(${length}))`,
  /** Maps an arbitrary of tail lengths to zero tails. */
  zeroTail: (lengths: string) => `${lengths}.map((length) => new Uint8Array(length))`,
  /** Source of an arbitrary of `length` bytes with exactly one non-zero byte. */
  breaking: (length: number) =>
    `fc.tuple(fc.integer({ min: 0, max: ${length - 1} }), fc.integer({ min: 1, max: 255 })).map(([at, byte]) => { const bytes = new Uint8Array(${length}); bytes[at] = byte; return bytes; })`,
  /** Turns an arbitrary of tails (`tails`) into tails of the same lengths with exactly one non-zero byte. */
  breakingTail: (tails: string) =>
    `${tails}.filter((t) => t.length > 0).chain((t) => fc.tuple(fc.integer({ min: 0, max: t.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, byte]) => { const bytes = new Uint8Array(t.length); bytes[at] = byte; return bytes; }))`,
} as const;

/** A reserved array of integers: how generated code checks it and how arbitraries draw it. */
export const reservedArray = {
  expected,
  actual: 'non-zero elements',
  /** Source of a condition true when an element of the array held in `value` is not zero. */
  brokenWhen: (value: string, asNumber = true) => `${value}.some((item) => item !== ${zeroLiteral(asNumber)})`,
  /** Source of an arbitrary of `count` zero elements. */
  zero: (count: number, asNumber: boolean) =>
    `fc.constant(0).map(() => new Array<${asNumber ? 'number' : 'bigint'}>(${count}).fill(${zeroLiteral(asNumber)}))`,
  /** Source of an arbitrary of `count` elements, exactly one of them drawn from `nonZero` (a source). */
  breaking: (count: number, asNumber: boolean, nonZero: string) =>
    `fc.tuple(fc.integer({ min: 0, max: ${count - 1} }), ${nonZero}).map(([at, item]) => { const items = new Array<${asNumber ? 'number' : 'bigint'}>(${count}).fill(${zeroLiteral(asNumber)}); items[at] = item; return items; })`,
} as const;
