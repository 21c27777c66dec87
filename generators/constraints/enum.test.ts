import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import { enumKind } from './enum.ts';

describe('closed enum', () => {
  it('applies only when the rule carries the values of a closed enum', () => {
    expect(enumKind.read).toBeUndefined();
    expect(enumKind.apply({ bits: 8, constraints: {}, reservedZero: false })).toBeUndefined();
  });

  it('holds for the enum values only, and its emitted check agrees', () => {
    const applied = enumKind.apply({ bits: 8, constraints: {}, reservedZero: false, enumValues: [1n, 2n, 5n], enumName: 'demo_kind' })!;
    expect([0n, 1n, 2n, 3n, 5n].map((value) => applied.holds(value))).toEqual([false, true, true, false, true]);
    expectConstraintLaws(applied, 8);
    expect([applied.code, applied.expected, applied.docText, applied.cText, applied.metaEntry]).toEqual(['enum', 'a demo_kind value', 'a listed value', undefined, undefined]);
  });

  it('refuses every value when the enum has none', () => {
    const applied = enumKind.apply({ bits: 2, constraints: {}, reservedZero: false, enumValues: [], enumName: 'empty' })!;
    expect(applied.brokenWhen('x', true)).toBe('false');
    expect(applied.holds(0n)).toBe(false);
  });
});
