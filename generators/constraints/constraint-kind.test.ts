import { describe, expect, it } from 'vitest';
import { yamlInteger, zeroLiteral } from './constraint-kind.ts';

describe('constraint kind helpers', () => {
  it('reads YAML integers written as numbers or as strings (hex, and past 2^53)', () => {
    expect(yamlInteger(16)).toBe(16n);
    expect(yamlInteger('0x10')).toBe(16n);
    expect(yamlInteger('18446744073709551615')).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('reads anything else, which the schema already refused, as 0', () => {
    expect(yamlInteger(undefined)).toBe(0n);
    expect(yamlInteger({})).toBe(0n);
  });

  it('spells zero in the value type of the field', () => {
    expect(zeroLiteral(true)).toBe('0');
    expect(zeroLiteral(false)).toBe('0n');
  });
});
