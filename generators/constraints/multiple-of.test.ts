import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { multipleOfKind } from './multiple-of.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('multipleOf', () => {
  it('reads its factor', () => {
    const into: FieldConstraints = {};
    multipleOfKind.read!({ multipleOf: 3 }, into);
    expect(into).toEqual({ multipleOf: 3 });
  });

  it('holds for multiples of a factor that need not be a power of two, and its emitted check agrees', () => {
    const applied = multipleOfKind.apply(rule({ multipleOf: 3 }))!;
    expect([0n, 1n, 3n, 4n, 6n].map((value) => applied.holds(value))).toEqual([true, false, true, false, true]);
    expectConstraintLaws(applied, 8);
    expectConstraintLaws(multipleOfKind.apply(rule({ multipleOf: 12 }, 64))!, 64);
  });

  it('is worded as a multiple and gives the arbitraries its step', () => {
    const applied = multipleOfKind.apply(rule({ multipleOf: 4 }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText, applied.step]).toEqual(['multiple-of', 'multipleOf 4', 'multiple of 4', 'multiple of 4', 4n]);
    expect(applied.metaEntry!(true)).toBe('multipleOf: 4');
  });
});
