import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { notEqualKind } from './not-equal.ts';

const rule = (constraints: FieldConstraints, bits = 16) => ({ bits, constraints, reservedZero: false });

describe('notEqual', () => {
  it('reads the excluded values', () => {
    const into: FieldConstraints = {};
    notEqualKind.read!({ notEqual: [0x1af4, '0xffff'] }, into);
    expect(into).toEqual({ notEqual: [0x1af4n, 0xffffn] });
  });

  it('holds for every value but the excluded ones, and its emitted check agrees', () => {
    const applied = notEqualKind.apply(rule({ notEqual: [0x1af4n] }))!;
    expect([0n, 0x1af3n, 0x1af4n, 0x1af5n].map((value) => applied.holds(value))).toEqual([true, true, false, true]);
    expectConstraintLaws(applied, 16);
    expectConstraintLaws(notEqualKind.apply(rule({ notEqual: [0n, 3n] }, 12))!, 12);
    expectConstraintLaws(notEqualKind.apply(rule({ notEqual: [0xffff_ffff_ffff_ffffn] }, 64))!, 64);
  });

  it('is worded with decimal values in issues, hex in C and docs', () => {
    const applied = notEqualKind.apply(rule({ notEqual: [6900n] }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText]).toEqual(['not-equal', 'notEqual [6900]', 'not 0x1af4', '≠ 0x1af4']);
    expect(applied.metaEntry!(true)).toBe('notEqual: [0x1af4]');
    expect(applied.excluded).toEqual([6900n]);
  });
});
