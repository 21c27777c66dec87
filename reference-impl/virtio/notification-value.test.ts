import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { notificationValue, notifyWidth } from './notification-value.ts';

// Bit positions from the digest §1.6, written out: vq value bits 0-15, next_off 16-30, next_wrap 31.
const NOTIFICATION_DATA = 1n << 38n;

describe('notification value', () => {
  it('is 2 bytes wide without NOTIFICATION_DATA and 4 with it', () => {
    expect(notifyWidth(1n << 32n)).toBe(2);
    expect(notifyWidth((1n << 32n) | NOTIFICATION_DATA)).toBe(4);
  });

  it('packs value, next_off and next_wrap into 32 bits, and only the value into 16', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x7fff }), fc.boolean(), (value, nextOff, nextWrap) => {
        const word = notificationValue(4, value, { nextOff, nextWrap });
        expect(word).toBeGreaterThanOrEqual(0);
        expect(word % 0x10000).toBe(value);
        expect(Math.floor(word / 0x10000) % 0x8000).toBe(nextOff);
        expect(word >= 0x8000_0000).toBe(nextWrap);
        expect(notificationValue(2, value, { nextOff, nextWrap })).toBe(value);
      }),
      propertyParameters(),
    );
    expect(notificationValue(4, 0x1_0001, { nextOff: 0x8001 })).toBe(0x0001_0001);
  });
});
