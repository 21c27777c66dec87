import { describe, expect, it } from 'vitest';
import { missingGrantFeatures, parseFeatures } from './features.ts';

// Feature bits from the virtio specification, written here by hand: VERSION_1 is bit 32, ACCESS_PLATFORM bit 33.
const VERSION_1 = 1n << 32n;
const ACCESS_PLATFORM = 1n << 33n;

describe('virtio features', () => {
  it('parse the scenario feature word, hex with 0x and at most 64 bits', () => {
    expect([parseFeatures('0x300000000'), parseFeatures('0xFFFFFFFFFFFFFFFF'), parseFeatures('0x0')]).toEqual([VERSION_1 | ACCESS_PLATFORM, (1n << 64n) - 1n, 0n]);
    expect([parseFeatures('300000000'), parseFeatures('0x'), parseFeatures('0x1ffffffffffffffff'), parseFeatures('0xg')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('name what a device used with grants lacks, VERSION_1 first as Linux checks it', () => {
    expect(missingGrantFeatures(VERSION_1 | ACCESS_PLATFORM | 1n)).toEqual([]);
    expect(missingGrantFeatures(VERSION_1)).toEqual(['ACCESS_PLATFORM']);
    expect(missingGrantFeatures(0n)).toEqual(['VERSION_1', 'ACCESS_PLATFORM']);
  });
});
