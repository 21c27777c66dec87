import { describe, expect, it } from 'vitest';
import { checkDescription, pciDeviceId } from './device-description.ts';
import { modernNetDescription, transitionalNetDescription } from './example-devices.ts';

describe('checkDescription', () => {
  it('accepts the example descriptions', () => {
    expect(checkDescription(modernNetDescription())).toEqual([]);
    expect(checkDescription(transitionalNetDescription())).toEqual([]);
  });

  it('names every problem of a bad description', () => {
    const codes = checkDescription(
      modernNetDescription({
        deviceType: 0,
        features: 1n << 64n,
        queues: [{ size: 0x10000 }],
        notifyOffMultiplier: 6,
        msixVectors: 0x801,
        placement: { bar: 6, space: 'memory', common: 2, notify: 0, isr: 1, device: 6 },
        vendorData: [{ vendorId: 0x10000, data: new Uint8Array(0) }],
        sharedMemory: [
          { id: 1, bar: 5, offset: 0n, length: 0n },
          { id: 1, bar: 2, offset: 0n, length: 16n },
        ],
      }),
    ).map((issue) => issue.code);
    for (const code of ['device-type', 'features-range', 'queue-size', 'notify-multiplier', 'msix-vectors', 'placement-bar', 'placement-align', 'vendor-data', 'shared-memory'] as const) {
      expect(codes).toContain(code);
    }
  });

  it('needs a transitional ID for a transitional device and keeps BAR0 for the legacy interface', () => {
    expect(checkDescription(transitionalNetDescription({ deviceType: 23 })).map((i) => i.code)).toContain('no-transitional-id');
    const bar0 = transitionalNetDescription({ placement: { bar: 0, space: 'memory', common: 0, notify: 0x1000, isr: 0x2000 } });
    expect(checkDescription(bar0).map((i) => i.code)).toContain('placement-bar');
  });
});

describe('pciDeviceId', () => {
  it('is 0x1040 + type for modern devices and the table value for transitional ones (digest §1.2)', () => {
    expect(pciDeviceId({ deviceType: 1 })).toBe(0x1041);
    expect(pciDeviceId({ deviceType: 23 })).toBe(0x1057);
    expect(pciDeviceId({ deviceType: 2, transitional: true })).toBe(0x1001);
    expect(pciDeviceId({ deviceType: 9, transitional: true })).toBe(0x1009);
    expect(pciDeviceId({ deviceType: 0x40 })).toBeUndefined();
  });
});
