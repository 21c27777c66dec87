import { describe, expect, it } from 'vitest';
import { enumModel, fieldModel, flagsetModel } from '../../test-support/spec-model-builders.ts';
import { appliedConstraints, constraintKinds, integerRule, readConstraints } from './registry.ts';

const context = {
  enums: new Map([['kind', enumModel('kind', { ONE: 1n, TWO: 2n })]]),
  flagsets: new Map([['bits', flagsetModel('bits', { A: 0, C: 6, WIDE: 9 })]]),
};

describe('constraint kind registry', () => {
  it('lists the kinds in the order a checker reports them, one issue code each', () => {
    expect(constraintKinds.map((kind) => kind.code)).toEqual(['reserved-nonzero', 'const', 'one-of', 'range', 'align', 'multiple-of', 'power-of-two', 'not-equal', 'enum', 'flags']);
  });

  it('reads every kind of the YAML constraints map, and an absent map as none', () => {
    const raw = { const: 9, oneOf: [1, 2], range: [0, '0x10'], align: 4, multipleOf: 3, powerOfTwo: 'orZero', notEqual: [7] };
    expect(readConstraints(raw)).toEqual({ const: 9n, oneOf: [1n, 2n], range: [0n, 16n], align: 4, multipleOf: 3, powerOfTwo: 'orZero', notEqual: [7n] });
    expect(readConstraints(undefined)).toEqual({});
  });

  it('builds the rule of a field from its width, constraints, access and type', () => {
    expect(integerRule(fieldModel({ specName: 'a', offset: 0, bits: 4, access: 'RsvdZ', constraints: { const: 0n } }), context)).toEqual({
      bits: 4,
      constraints: { const: 0n },
      reservedZero: true,
    });
    expect(integerRule(fieldModel({ specName: 'k', offset: 0, bits: 8, type: 'enum', enumName: 'kind' }), context)).toMatchObject({ enumValues: [1n, 2n], enumName: 'kind' });
    expect(integerRule(fieldModel({ specName: 'k', offset: 0, bits: 8, type: 'enum', enumName: 'kind', open: true }), context).enumValues).toBeUndefined();
    // Bit 9 lies outside an 8-bit field, so it does not count as defined there.
    expect(integerRule(fieldModel({ specName: 'f', offset: 0, bits: 8, type: 'flags', flagsetName: 'bits' }), context).flags).toEqual({ name: 'bits', undefinedBits: 0xben });
  });

  it('applies the kinds a field has, in report order', () => {
    const field = fieldModel({ specName: 'r', offset: 0, bits: 8, access: 'RsvdZ', constraints: { notEqual: [3n], const: 0n } });
    expect(appliedConstraints(integerRule(field, context)).map((constraint) => constraint.code)).toEqual(['reserved-nonzero', 'const', 'not-equal']);
    expect(appliedConstraints(integerRule(fieldModel({ specName: 'plain', offset: 0, bits: 8 }), context))).toEqual([]);
  });
});
