import { describe, expect, it } from 'vitest';
import { FULL_CONFIG_SIZES, isFullConfigSize } from './parsed-dump-device.ts';

describe('full configuration space sizes', () => {
  it('are the 256 bytes of conventional PCI and the 4 KiB of PCI Express, nothing else', () => {
    expect([...FULL_CONFIG_SIZES].sort((a, b) => a - b)).toEqual([256, 4096]);
    for (const size of [256, 4096]) expect(isFullConfigSize(size)).toBe(true);
    for (const size of [0, 64, 255, 257, 512, 4095, 4097]) expect(isFullConfigSize(size), String(size)).toBe(false);
  });
});
