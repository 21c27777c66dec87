import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { FEATURE_WINDOWS, featureWindow, VirtioDeviceState, withFeatureWindow } from './device-state.ts';

describe('feature windows', () => {
  it('has two 32-bit windows (no feature above bit 63 is defined)', () => {
    expect(FEATURE_WINDOWS).toBe(2);
  });

  it('splits and reassembles any 64-bit feature set', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 3 }), (features, value, select) => {
        expect((BigInt(featureWindow(features, 1)) << 32n) | BigInt(featureWindow(features, 0))).toBe(features);
        const updated = withFeatureWindow(features, select, value);
        expect(featureWindow(updated, select)).toBe(select < 2 ? value : 0);
        expect(featureWindow(updated, 1 - (select % 2))).toBe(select < 2 ? featureWindow(features, 1 - select) : featureWindow(features, 1 - (select % 2)));
      }),
      propertyParameters(),
    );
  });
});

describe('VirtioDeviceState', () => {
  const state = () => new VirtioDeviceState({ offeredFeatures: (1n << 32n) | 1n, queues: [{ size: 8 }], deviceConfig: new Uint8Array(4), msixVectors: 2, requireVersion1: true });

  it('keeps DEVICE_NEEDS_RESET against driver writes and signals a config change when live', () => {
    const s = state();
    s.writeStatus(1 | 2 | 4);
    s.needsReset();
    expect(s.status & 0x40).toBe(0x40);
    expect(s.isr & 0x2).toBe(0x2);
    s.writeStatus(1 | 2 | 4);
    expect(s.status & 0x40).toBe(0x40);
    s.writeStatus(0);
    expect(s.status).toBe(0);
  });

  it('maps vectors inside the table and refuses others with NO_VECTOR', () => {
    const s = state();
    expect(s.mapVector(1)).toBe(1);
    expect(s.mapVector(2)).toBe(0xffff);
    expect(s.mapVector(0xffff)).toBe(0xffff);
  });
});
