import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { alignKind } from './align.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('align', () => {
  it('reads its alignment', () => {
    const into: FieldConstraints = {};
    alignKind.read!({ align: 4 }, into);
    expect(into).toEqual({ align: 4 });
  });

  it('holds for multiples of the alignment, and its emitted check agrees on 8, 32 and 64 bits', () => {
    const applied = alignKind.apply(rule({ align: 4 }))!;
    expect([0n, 2n, 4n, 6n, 8n].map((value) => applied.holds(value))).toEqual([true, false, true, false, true]);
    expectConstraintLaws(applied, 8);
    expectConstraintLaws(alignKind.apply(rule({ align: 4096 }, 32))!, 32);
    expectConstraintLaws(alignKind.apply(rule({ align: 8 }, 64))!, 64);
  });

  it('is worded as an alignment and gives the arbitraries its step', () => {
    const applied = alignKind.apply(rule({ align: 4 }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText, applied.step]).toEqual(['align', 'align 4', 'aligned to 4', 'aligned to 4', 4n]);
    expect(applied.metaEntry!(true)).toBe('align: 4');
    expect(applied.brokenWhen('x', false)).toBe('x % 4n !== 0n');
  });
});
