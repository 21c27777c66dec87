import { describe, expect, it } from 'vitest';
import type { FieldConstraints } from '../model/spec-model.ts';
import { breakingValues, validDomain } from './domain.ts';

const rule = (constraints: FieldConstraints, bits = 8) => ({ bits, constraints, reservedZero: false });

describe('domain helpers', () => {
  it('finds no breaking value for a constraint that the width already enforces', () => {
    expect(breakingValues(rule({ range: [0n, 255n] }), 'range')).toEqual([]);
    expect(breakingValues(rule({ range: [16n, 255n], align: 4 }), 'range')).toEqual([0n, 4n, 8n, 12n]);
  });

  it('lists small domains exactly', () => {
    expect(validDomain(rule({ range: [16n, 40n], align: 8, notEqual: [24n] }))).toEqual({ kind: 'list', values: [16n, 32n, 40n] });
    expect(validDomain(rule({ powerOfTwo: true }, 4))).toEqual({ kind: 'list', values: [1n, 2n, 4n, 8n] });
  });
});
