import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import type { FieldConstraints } from '../model/spec-model.ts';
import type { IntegerRule } from './constraint-kind.ts';
import { breakingValues, brokenCodes, declaredCodes, isSatisfiable, validDomain } from './domain.ts';

const rule = (constraints: FieldConstraints, bits = 8): IntegerRule => ({ bits, constraints, reservedZero: false });

/** Every value of the domain, spelled out (small widths only). */
function members(rule: IntegerRule): bigint[] {
  const domain = validDomain(rule);
  if (domain.kind === 'list') return domain.values;
  const values: bigint[] = [];
  for (let k = domain.low; k <= domain.high; k++) if (!domain.exclude.includes(k * domain.step)) values.push(k * domain.step);
  return values;
}

/** Rules of up to 10 bits with any mix of constraints. */
const rules: fc.Arbitrary<IntegerRule> = fc.integer({ min: 1, max: 10 }).chain((bits) => {
  const value = fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) + 2n });
  const constraints: fc.Arbitrary<FieldConstraints> = fc.record(
    {
      const: value,
      oneOf: fc.array(value, { minLength: 1, maxLength: 4 }),
      range: fc.tuple(value, value).map(([a, b]): [bigint, bigint] => (a <= b ? [a, b] : [b, a])),
      align: fc.constantFrom(2, 4, 8),
      multipleOf: fc.integer({ min: 2, max: 6 }),
      powerOfTwo: fc.constantFrom(true as const, 'orZero' as const),
      notEqual: fc.array(value, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  return fc.record({
    bits: fc.constant(bits),
    constraints,
    reservedZero: fc.boolean(),
    enumValues: fc.option(fc.array(value, { maxLength: 5 }), { nil: undefined }),
  }).map((built) => {
    const result: IntegerRule = { bits: built.bits, constraints: built.constraints, reservedZero: built.reservedZero };
    if (built.enumValues !== undefined) result.enumValues = built.enumValues;
    return result;
  });
});

describe('valid domain', () => {
  it('lists small domains exactly', () => {
    expect(validDomain(rule({ range: [16n, 40n], align: 8, notEqual: [24n] }))).toEqual({ kind: 'list', values: [16n, 32n, 40n] });
    expect(validDomain(rule({ powerOfTwo: true }, 4))).toEqual({ kind: 'list', values: [1n, 2n, 4n, 8n] });
  });

  it('keeps a wide arithmetic domain as steps with its few exclusions', () => {
    expect(validDomain(rule({ align: 8, notEqual: [0n, 3n] }, 32))).toEqual({ kind: 'steps', low: 0n, high: 0x1fffffffn, step: 8n, exclude: [0n] });
  });

  it('is exactly the values of the width that break nothing', () => {
    fc.assert(
      fc.property(rules, (candidate) => {
        const max = (1n << BigInt(candidate.bits)) - 1n;
        const expected: bigint[] = [];
        for (let value = 0n; value <= max; value++) if (brokenCodes(value, candidate).length === 0) expected.push(value);
        expect(members(candidate)).toEqual(expected);
        expect(isSatisfiable(candidate)).toBe(expected.length > 0);
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });
});

describe('breaking values', () => {
  it('finds no breaking value for a constraint that the width already enforces', () => {
    expect(breakingValues(rule({ range: [0n, 255n] }), 'range')).toEqual([]);
    expect(breakingValues(rule({ range: [16n, 255n], align: 4 }), 'range')).toEqual([0n, 4n, 8n, 12n]);
  });

  it('break the named constraint and no other', () => {
    fc.assert(
      fc.property(rules, (candidate) => {
        for (const code of declaredCodes(candidate)) {
          const values = breakingValues(candidate, code);
          expect(values.length).toBeLessThanOrEqual(16);
          for (const value of values) expect(brokenCodes(value, candidate)).toEqual([code]);
        }
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('keep both ends of a long list of candidates', () => {
    const values = breakingValues(rule({ notEqual: [0n] }, 32), 'not-equal');
    expect(values).toEqual([0n]);
    const aligned = breakingValues(rule({ align: 4 }, 32), 'align');
    expect(aligned.length).toBe(16);
    expect(aligned[0]).toBe(1n);
    expect(aligned[aligned.length - 1]).toBe(0xffffffffn);
  });
});

describe('codes', () => {
  it('reports broken codes in the kinds order and leaves undefined flag bits out of near-valid breaks', () => {
    const flagsRule: IntegerRule = { bits: 8, constraints: { const: 1n }, reservedZero: true, flags: { name: 'f', undefinedBits: 0xf0n } };
    expect(brokenCodes(0x12n, flagsRule)).toEqual(['reserved-nonzero', 'const', 'flags']);
    expect(declaredCodes(flagsRule)).toEqual(['reserved-nonzero', 'const']);
  });
});
