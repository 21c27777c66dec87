import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { powerOfTwoKind } from './power-of-two.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('powerOfTwo', () => {
  it('reads true or orZero, and nothing else', () => {
    for (const raw of [true, 'orZero'] as const) {
      const into: FieldConstraints = {};
      powerOfTwoKind.read!({ powerOfTwo: raw }, into);
      expect(into).toEqual({ powerOfTwo: raw });
    }
    const none: FieldConstraints = {};
    powerOfTwoKind.read!({ powerOfTwo: false }, none);
    expect(none).toEqual({});
  });

  it('holds for powers of two, and for zero only when orZero; its emitted check agrees', () => {
    const strict = powerOfTwoKind.apply(rule({ powerOfTwo: true }))!;
    const orZero = powerOfTwoKind.apply(rule({ powerOfTwo: 'orZero' }, 12))!;
    expect([0n, 1n, 2n, 3n, 128n].map((value) => strict.holds(value))).toEqual([false, true, true, false, true]);
    expect([0n, 3n].map((value) => orZero.holds(value))).toEqual([true, false]);
    expectConstraintLaws(strict, 8);
    expectConstraintLaws(orZero, 12);
    expectConstraintLaws(powerOfTwoKind.apply(rule({ powerOfTwo: 'orZero' }, 64))!, 64);
  });

  it('lists every power of the width for the arbitraries', () => {
    expect(powerOfTwoKind.apply(rule({ powerOfTwo: true }, 4))!.allowed).toEqual([1n, 2n, 4n, 8n]);
    expect(powerOfTwoKind.apply(rule({ powerOfTwo: 'orZero' }, 2))!.allowed).toEqual([0n, 1n, 2n]);
  });

  it('is worded for issues, C and docs', () => {
    const strict = powerOfTwoKind.apply(rule({ powerOfTwo: true }))!;
    const orZero = powerOfTwoKind.apply(rule({ powerOfTwo: 'orZero' }))!;
    expect([strict.code, strict.expected, strict.cText, strict.metaEntry!(true)]).toEqual(['power-of-two', 'power of two', 'power of two', 'powerOfTwo: true']);
    expect([orZero.expected, orZero.docText, orZero.metaEntry!(true)]).toEqual(['power of two or zero', 'power of two or 0', "powerOfTwo: 'orZero'"]);
  });
});
