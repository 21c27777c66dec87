import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import { flagsKind } from './flags.ts';

describe('flag set', () => {
  it('applies to a flags field whose set leaves bits undefined', () => {
    expect(flagsKind.read).toBeUndefined();
    expect(flagsKind.apply({ bits: 8, constraints: {}, reservedZero: false })).toBeUndefined();
    expect(flagsKind.apply({ bits: 8, constraints: {}, reservedZero: false, flags: { name: 'full', undefinedBits: 0n } })).toBeUndefined();
  });

  it('holds for values without undefined bits, and its emitted check agrees', () => {
    const applied = flagsKind.apply({ bits: 8, constraints: {}, reservedZero: false, flags: { name: 'demo_flags', undefinedBits: 0xben } })!;
    expect([0n, 1n, 0x40n, 0x41n, 0x02n, 0x80n].map((value) => applied.holds(value))).toEqual([true, true, true, true, false, false]);
    expectConstraintLaws(applied, 8);
    expectConstraintLaws(flagsKind.apply({ bits: 64, constraints: {}, reservedZero: false, flags: { name: 'wide', undefinedBits: ~1n & 0xffff_ffff_ffff_ffffn } })!, 64);
    expect([applied.code, applied.expected]).toEqual(['flags', 'only demo_flags bits']);
  });

  it('is not broken by near-valid arbitraries on its own', () => {
    expect(flagsKind.apply({ bits: 8, constraints: {}, reservedZero: false, flags: { name: 'f', undefinedBits: 2n } })!.breakable).toBe(false);
  });
});
