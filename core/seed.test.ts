import { describe, expect, it } from 'vitest';
import { defaultSeedValue, InvalidSeedError, parseSeed, seedFromEnvironment } from './seed.ts';

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
});
