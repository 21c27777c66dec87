import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSeedValue, InvalidSeedError, isSeed, parseSeed, seedFromEnvironment, seedRangeText } from './seed.ts';

describe('seed', () => {
  it('takes XVC_SEED when set and the fixed default when unset or empty', () => {
    expect(seedFromEnvironment({ XVC_SEED: '24601' })).toBe(24601);
    expect(seedFromEnvironment({})).toBe(defaultSeedValue);
    expect(seedFromEnvironment({ XVC_SEED: '' })).toBe(defaultSeedValue);
  });

  it('refuses what is not a 32-bit integer, naming where it came from', () => {
    for (const text of ['abc', '1.5', '1e3', '4294967296', '-2147483649', ' ']) {
      expect(() => parseSeed(text, '--seed'), text).toThrow(InvalidSeedError);
    }
    expect(() => seedFromEnvironment({ XVC_SEED: 'x' })).toThrow(/XVC_SEED/);
  });

  it('accepts both ends of the range', () => {
    expect(parseSeed('-2147483648', '--seed')).toBe(-(2 ** 31));
    expect(parseSeed('4294967295', '--seed')).toBe(2 ** 32 - 1);
  });

  it('accepts the signed and the unsigned spelling of a value, which fast-check runs alike', () => {
    const drawn = (seed: number): number[] => fc.sample(fc.integer(), { seed, numRuns: 20 });
    expect(drawn(parseSeed('4294967295', '--seed'))).toEqual(drawn(parseSeed('-1', '--seed')));
    expect(drawn(parseSeed('2147483648', '--seed'))).toEqual(drawn(parseSeed('-2147483648', '--seed')));
    expect(drawn(1)).not.toEqual(drawn(2));
  });

  it('judges a seed read from a file (any JSON value) by the same range', () => {
    for (const value of [0, -1, -(2 ** 31), 2 ** 32 - 1, 24301]) expect(isSeed(value), String(value)).toBe(true);
    for (const value of [1.5, -(2 ** 31) - 1, 2 ** 32, Number.NaN, Infinity, '7', null, undefined, [7]]) expect(isSeed(value), String(value)).toBe(false);
    expect(seedRangeText).toBe('an integer from -2147483648 to 4294967295');
  });
});
