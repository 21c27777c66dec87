import { describe, expect, it } from 'vitest';
import { expectConstraintLaws } from '../../test-support/constraint-laws.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import { constKind } from './const.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('const', () => {
  it('reads a number, or a string for values past 2^53, and nothing when absent', () => {
    const into: FieldConstraints = {};
    constKind.read!({ const: 9 }, into);
    expect(into).toEqual({ const: 9n });
    constKind.read!({ const: '0xffffffffffffffff' }, into);
    expect(into).toEqual({ const: 0xffffffffffffffffn });
    const empty: FieldConstraints = {};
    constKind.read!({ range: [1, 2] }, empty);
    expect(empty).toEqual({});
  });

  it('applies only to a field that has it', () => {
    expect(constKind.apply(rule({ align: 4 }))).toBeUndefined();
  });

  it('holds for the value alone, and its emitted check agrees on every width', () => {
    const applied = constKind.apply(rule({ const: 9n }))!;
    expect([8n, 9n, 10n].map((value) => applied.holds(value))).toEqual([false, true, false]);
    expectConstraintLaws(applied, 8);
    expectConstraintLaws(constKind.apply(rule({ const: 0x1234_5678_9abcn }, 64))!, 64);
    expectConstraintLaws(constKind.apply(rule({ const: 0n }, 32))!, 32);
  });

  it('is worded in hex for issues, C comments and docs, and written into the metadata in the field type', () => {
    const applied = constKind.apply(rule({ const: 9n }))!;
    expect([applied.code, applied.expected, applied.cText, applied.docText]).toEqual(['const', 'const 0x9', 'const 0x9', '= 0x9']);
    expect(applied.metaEntry!(true)).toBe('const: 9');
    expect(constKind.apply(rule({ const: 0x1af4n }, 64))!.metaEntry!(false)).toBe('const: 0x1af4n');
  });

  it('says when the value does not fit the field', () => {
    expect(constKind.apply(rule({ const: 0x100n }))!.outsideWidth).toBe('const 0x100 does not fit in 8 bits');
    expect(constKind.apply(rule({ const: 0xffn }))!.outsideWidth).toBeUndefined();
  });
});
