import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { anyNonZero } from '../../core/codec-runtime.ts';
import { arbitraryFromSource } from '../../test-support/arbitrary-source.ts';
import { reservedArray, reservedBytes, reservedZeroKind } from './reserved-zero.ts';

const arbitraryFrom = arbitraryFromSource;

describe('reserved zero (RsvdZ access)', () => {
  it('applies to fields with RsvdZ access, is written nowhere in the YAML constraints, and holds only for 0', () => {
    expect(reservedZeroKind.read).toBeUndefined();
    expect(reservedZeroKind.apply({ bits: 4, constraints: {}, reservedZero: false })).toBeUndefined();
    const applied = reservedZeroKind.apply({ bits: 4, constraints: {}, reservedZero: true })!;
    expect([0n, 1n, 15n].map((value) => applied.holds(value))).toEqual([true, false, false]);
    expectConstraintLaws(applied, 4);
    expectConstraintLaws(reservedZeroKind.apply({ bits: 64, constraints: {}, reservedZero: true })!, 64);
    expect([applied.code, applied.expected, applied.cText, applied.docText, applied.metaEntry]).toEqual(['reserved-nonzero', '0 (reserved, zero)', 'must be 0', '0', undefined]);
  });

  it('checks byte strings and arrays in generated code', () => {
    const bytesBroken = new Function('anyNonZero', 'value', `return ${reservedBytes.brokenWhen('value')};`) as (runtime: typeof anyNonZero, value: Uint8Array) => boolean;
    expect(bytesBroken(anyNonZero, new Uint8Array(3))).toBe(false);
    expect(bytesBroken(anyNonZero, new Uint8Array([0, 0, 1]))).toBe(true);
    const arrayBroken = new Function('value', `return ${reservedArray.brokenWhen('value', false)};`) as (value: bigint[]) => boolean;
    expect(arrayBroken([0n, 0n])).toBe(false);
    expect(arrayBroken([0n, 2n])).toBe(true);
  });

  it('draws all-zero values for valid arbitraries and exactly one non-zero element for breaking ones', () => {
    const run = propertyParameters({ numRuns: 100 });
    fc.assert(fc.property(arbitraryFrom<Uint8Array>(reservedBytes.zero(5)), (bytes) => bytes.length === 5 && !anyNonZero(bytes)), run);
    fc.assert(fc.property(arbitraryFrom<Uint8Array>(reservedBytes.breaking(5)), (bytes) => bytes.length === 5 && bytes.filter((byte) => byte !== 0).length === 1), run);
    fc.assert(fc.property(arbitraryFrom<bigint[]>(reservedArray.zero(3, false)), (items) => items.length === 3 && items.every((item) => item === 0n)), run);
    const breakingArray = arbitraryFrom<number[]>(reservedArray.breaking(4, true, 'fc.integer({ min: 1, max: 7 })'));
    fc.assert(fc.property(breakingArray, (items) => items.length === 4 && items.filter((item) => item !== 0).length === 1), run);
    const tails = arbitraryFrom<Uint8Array>(reservedBytes.breakingTail('fc.uint8Array({ minLength: 0, maxLength: 6 })'));
    fc.assert(fc.property(tails, (bytes) => bytes.length > 0 && bytes.filter((byte) => byte !== 0).length === 1), run);
    const zeroTails = arbitraryFrom<Uint8Array>(reservedBytes.zeroTail('fc.integer({ min: 0, max: 6 })'));
    fc.assert(fc.property(zeroTails, (bytes) => bytes.length <= 6 && !anyNonZero(bytes)), run);
  });
});
