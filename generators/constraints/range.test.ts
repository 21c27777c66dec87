import { describe, expect, it } from 'vitest';
import { emittedCheck, expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { rangeKind } from './range.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('range', () => {
  it('reads its two bounds', () => {
    const into: FieldConstraints = {};
    rangeKind.read!({ range: [16, '0xff'] }, into);
    expect(into).toEqual({ range: [16n, 255n] });
  });

  it('holds inside the inclusive bounds, and its emitted check agrees', () => {
    const applied = rangeKind.apply(rule({ range: [16n, 40n] }))!;
    expect([15n, 16n, 40n, 41n].map((value) => applied.holds(value))).toEqual([false, true, true, false]);
    expectConstraintLaws(applied, 8);
    expectConstraintLaws(rangeKind.apply(rule({ range: [0x1_0000_0000n, 0xffff_ffff_ffffn] }, 64))!, 64);
    expectConstraintLaws(rangeKind.apply(rule({ range: [1n, 0xfffen] }, 16))!, 16);
  });

  it('emits no test for a bound the width already enforces, and nothing at all for the full width', () => {
    expect(rangeKind.apply(rule({ range: [16n, 255n] }))!.brokenWhen('x', true)).toBe('x < 0x10');
    expect(rangeKind.apply(rule({ range: [0n, 100n] }))!.brokenWhen('x', true)).toBe('x > 0x64');
    expect(emittedCheck(rangeKind.apply(rule({ range: [0n, 255n] }))!, 8)).toBeUndefined();
  });

  it('is worded as an interval', () => {
    const applied = rangeKind.apply(rule({ range: [16n, 255n] }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText]).toEqual(['range', 'range [16, 255]', 'range 0x10..0xff', '0x10..0xff']);
    expect(applied.metaEntry!(true)).toBe('range: [0x10, 0xff]');
    expect(applied.bounds).toEqual([16n, 255n]);
  });

  it('names the multiples of the step just outside its bounds as places to look for breaking values', () => {
    expect(rangeKind.apply(rule({ range: [16n, 40n] }))!.landmarks!(8n)).toEqual([16n, 40n, 8n, 48n]);
  });

  it('says when it is empty or lies above what the width holds', () => {
    expect(rangeKind.apply(rule({ range: [5n, 4n] }))!.outsideWidth).toBe('range [5, 4] is empty');
    expect(rangeKind.apply(rule({ range: [16n, 20n] }, 4))!.outsideWidth).toBe('range [16, 20] starts above 15, the largest 4-bit value');
    expect(rangeKind.apply(rule({ range: [10n, 20n] }, 4))!.outsideWidth).toBeUndefined();
  });
});
