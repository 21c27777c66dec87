import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { oneOfKind } from './one-of.ts';

const rule = (constraints: FieldConstraints, bits = 16) => ({ bits, constraints, reservedZero: false });

describe('oneOf', () => {
  it('reads a list of numbers and strings', () => {
    const into: FieldConstraints = {};
    oneOfKind.read!({ oneOf: [0, 1, '0x8000'] }, into);
    expect(into).toEqual({ oneOf: [0n, 1n, 0x8000n] });
  });

  it('holds for the listed values only, and its emitted check agrees', () => {
    const applied = oneOfKind.apply(rule({ oneOf: [0n, 1n] }))!;
    expect([0n, 1n, 2n, 0xffffn].map((value) => applied.holds(value))).toEqual([true, true, false, false]);
    expectConstraintLaws(applied, 16);
    expectConstraintLaws(oneOfKind.apply(rule({ oneOf: [1n, 2n, 4n] }, 4))!, 4);
    expectConstraintLaws(oneOfKind.apply(rule({ oneOf: [1n << 40n, 3n] }, 64))!, 64);
  });

  it('is worded with decimal values in issues and hex in C and docs', () => {
    const applied = oneOfKind.apply(rule({ oneOf: [0n, 16n] }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText]).toEqual(['one-of', 'oneOf [0, 16]', 'one of 0x0, 0x10', 'one of 0x0, 0x10']);
    expect(applied.metaEntry!(true)).toBe('oneOf: [0, 0x10]');
  });

  it('says when no listed value fits, and not when one does', () => {
    expect(oneOfKind.apply(rule({ oneOf: [16n, 17n] }, 4))!.outsideWidth).toBe('no value of oneOf [16, 17] fits in 4 bits');
    expect(oneOfKind.apply(rule({ oneOf: [1n, 17n] }, 4))!.outsideWidth).toBeUndefined();
  });
});
