import { describe, expect, it } from 'vitest';
import { checkDescription, pciDeviceId, type VirtioBarPlacement } from './device-description.ts';
import { modernNetDescription, transitionalNetDescription } from './example-devices.ts';

// Feature bits and IDs from the digest (§1.2, §2.2), written out.
const VERSION_1 = 1n << 32n;
const NOTIFICATION_DATA = 1n << 38n;
const VIRTIO_VENDOR = 0x1af4;
const placement = (overrides: Partial<VirtioBarPlacement>): VirtioBarPlacement => ({ bar: 4, space: 'memory', is64: true, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000, ...overrides });
const codes = (description: Parameters<typeof checkDescription>[0]): string[] => checkDescription(description).map((issue) => issue.code);

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

describe('checkDescription: BARs the model could not implement', () => {
  it('refuses shared memory in the upper slot of a 64-bit BAR', () => {
    const description = modernNetDescription({ placement: placement({ bar: 2 }), sharedMemory: [{ id: 0, bar: 3, offset: 0n, length: 0x1000n }] });
    expect(codes(description)).toContain('shared-memory');
  });

  it('refuses an MSI-X BAR index past the last slot, or one another BAR holds', () => {
    expect(codes(modernNetDescription({ msixBar: 7 }))).toContain('msix-bar');
    expect(codes(modernNetDescription({ msixBar: 5 }))).toContain('msix-bar');
    expect(codes(transitionalNetDescription({ msixBar: 0 }))).toContain('msix-bar');
  });

  it('refuses a 64-bit BAR starting at BAR5 and a BAR size that is not a power of two', () => {
    expect(codes(modernNetDescription({ placement: placement({ bar: 5 }) }))).toContain('placement-bar');
    expect(codes(modernNetDescription({ placement: placement({ size: 0x5000 }) }))).toContain('placement-bar');
  });

  it('refuses structures that overlap or do not fit the stated BAR size', () => {
    expect(codes(modernNetDescription({ placement: placement({ notify: 0x20 }) }))).toContain('placement-overlap');
    expect(codes(modernNetDescription({ placement: placement({ size: 0x2000 }) }))).toContain('placement-bar');
  });

  it('refuses capabilities that do not fit the legacy config space', () => {
    const vendorData = [1, 2, 3].map(() => ({ vendorId: 0x8086, data: new Uint8Array(60) }));
    expect(codes(modernNetDescription({ vendorData }))).toContain('config-space');
  });
});

describe('checkDescription: devices that would break the spec', () => {
  it('needs the notify offset 2-aligned, 4-aligned with NOTIFICATION_DATA (PCI-DEV-24)', () => {
    expect(codes(modernNetDescription({ placement: placement({ notify: 0x3001 }) }))).toContain('notify-align');
    expect(codes(modernNetDescription({ placement: placement({ notify: 0x3002 }) }))).not.toContain('notify-align');
    expect(codes(modernNetDescription({ features: VERSION_1 | NOTIFICATION_DATA, placement: placement({ notify: 0x3002 }) }))).toContain('notify-align');
  });

  it('needs the multiplier to be a multiple of 4 with NOTIFICATION_DATA (PCI-DEV-25)', () => {
    expect(codes(modernNetDescription({ features: VERSION_1 | NOTIFICATION_DATA, notifyOffMultiplier: 2 }))).toContain('notify-multiplier');
    expect(codes(modernNetDescription({ features: VERSION_1, notifyOffMultiplier: 2 }))).toEqual([]);
    expect(codes(modernNetDescription({ features: VERSION_1 | NOTIFICATION_DATA, notifyOffMultiplier: 0 }))).toEqual([]);
  });

  it('needs power-of-two queue sizes (PCI-DEV-21); 0 marks an unavailable queue', () => {
    expect(codes(modernNetDescription({ queues: [{ size: 100 }] }))).toContain('queue-size');
    expect(codes(modernNetDescription({ queues: [{ size: 1 }, { size: 0 }, { size: 0x8000 }] }))).toEqual([]);
  });

  it('needs VERSION_1 offered by a modern device (digest §2.2, §6.2), not by a transitional one', () => {
    expect(codes(modernNetDescription({ features: 1n << 5n }))).toContain('version-1');
    expect(codes(transitionalNetDescription({ features: 1n << 5n }))).toEqual([]);
  });

  it('refuses vendor data carrying the virtio vendor ID (PCI-DEV-38)', () => {
    expect(codes(modernNetDescription({ vendorData: [{ vendorId: VIRTIO_VENDOR, data: new Uint8Array(2) }] }))).toContain('vendor-data');
  });

  it('builds such a device only when allowNonConformant says so, and still refuses what cannot be built', () => {
    const bad = modernNetDescription({
      features: 1n << 5n | NOTIFICATION_DATA,
      notifyOffMultiplier: 2,
      queues: [{ size: 100 }],
      placement: placement({ notify: 0x3002 }),
      vendorData: [{ vendorId: VIRTIO_VENDOR, data: new Uint8Array(2) }],
    });
    expect(codes(bad).sort()).toEqual(['notify-align', 'notify-multiplier', 'queue-size', 'vendor-data', 'version-1']);
    expect(checkDescription(bad).every((issue) => issue.requirement !== undefined)).toBe(true);
    expect(codes({ ...bad, allowNonConformant: true })).toEqual([]);
    expect(codes({ ...bad, allowNonConformant: true, msixBar: 7 })).toEqual(['msix-bar']);
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
