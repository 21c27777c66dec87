/**
 * Ready-made device descriptions (shaped like the QEMU devices the fixtures were captured from) and
 * a fast-check arbitrary of valid descriptions, for the reference target and for property tests.
 */
import fc from 'fast-check';
import { VirtioDeviceId, VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_VENDOR_ID, VirtioPciTransitionalDeviceId } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { deviceTypeName, type VirtioDeviceDescription } from './device-description.ts';

/** A modern virtio-net function laid out like QEMU's: one 16 KiB 64-bit BAR4 with 4 KiB per structure. */
export function modernNetDescription(overrides: Partial<VirtioDeviceDescription> = {}): VirtioDeviceDescription {
  return {
    deviceType: VirtioDeviceId.NET,
    features: VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM | VirtioFeatures.RING_PACKED | (1n << 5n),
    queues: [{ size: 256 }, { size: 256 }, { size: 64 }],
    placement: { bar: 4, space: 'memory', is64: true, prefetchable: true, size: 0x4000, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000 },
    notifyOffMultiplier: 4,
    deviceConfig: Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x01, 0x00),
    msixVectors: 4,
    msixBar: 1,
    classCode: 0x020000,
    ...overrides,
  };
}

/** The same device in its transitional form: legacy I/O BAR0, transitional device ID, revision 0. */
export function transitionalNetDescription(overrides: Partial<VirtioDeviceDescription> = {}): VirtioDeviceDescription {
  return modernNetDescription({ transitional: true, ...overrides });
}

/** Device types that have a transitional PCI device ID. */
const transitionalTypes = Object.keys(VirtioPciTransitionalDeviceId).map((name) => (VirtioDeviceId as Record<string, number>)[name]!);

/** Random valid (buildable and conformant) descriptions: device type, features, queues, placement, multiplier, extras. */
export function arbitraryDescription(): fc.Arbitrary<VirtioDeviceDescription> {
  const feature = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  return fc
    .record({
      transitional: fc.boolean(),
      deviceType: fc.integer({ min: 1, max: 0x3f }),
      transitionalType: fc.constantFrom(...transitionalTypes),
      features: feature,
      queues: fc.array(fc.record({ size: fc.constantFrom(0, 1, 16, 64, 256, 1024, 32768), available: fc.boolean() }), { minLength: 1, maxLength: 8 }),
      bar: fc.integer({ min: 1, max: 4 }),
      is64: fc.boolean(),
      space: fc.constantFrom<'memory' | 'io'>('memory', 'memory', 'io'),
      multiplier: fc.constantFrom(0, 2, 4, 8, 4096),
      order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
      deviceConfig: fc.uint8Array({ minLength: 0, maxLength: 24 }),
      msixVectors: fc.constantFrom(0, 1, 2, 4, 33),
      vendorData: fc.array(fc.record({ vendorId: fc.integer({ min: 0, max: 0xffff }).filter((id) => id !== VIRTIO_PCI_VENDOR_ID), data: fc.uint8Array({ maxLength: 10 }) }), { maxLength: 2 }),
      shared: fc.boolean(),
      version: fc.constantFrom('1.0', '1.2', '1.3'),
      pcie: fc.boolean(),
    })
    .map((r): VirtioDeviceDescription => {
      // Structures at equal slots in a shuffled order keep every placement aligned and disjoint; a slot
      // holds the whole notify area (at most 8 queues times the multiplier).
      const features = r.features | VirtioFeatures.VERSION_1;
      // With NOTIFICATION_DATA offered the multiplier must be a multiple of 4 (PCI-DEV-25).
      const multiplier = r.multiplier === 2 && (features & VirtioFeatures.NOTIFICATION_DATA) !== 0n ? 4 : r.multiplier;
      const stride = multiplier * 8 + 4 > 0x1000 ? 0x10000 : 0x1000;
      const slot = (index: number): number => r.order[index]! * stride;
      const space = r.space;
      const is64 = space === 'memory' && r.is64 && r.bar < 5;
      const description: VirtioDeviceDescription = {
        deviceType: r.transitional ? r.transitionalType : r.deviceType,
        features,
        queues: r.queues,
        transitional: r.transitional,
        placement: { bar: r.bar, space, is64, common: slot(0), notify: slot(1), isr: slot(2), ...(r.deviceConfig.length > 0 ? { device: slot(3) } : {}) },
        notifyOffMultiplier: multiplier,
        deviceConfig: r.deviceConfig,
        msixVectors: r.msixVectors,
        vendorData: r.vendorData,
        commonConfigVersion: r.version,
        pcie: r.pcie,
      };
      if (r.shared) {
        const used = new Set([r.bar, ...(is64 ? [r.bar + 1] : []), ...(r.transitional ? [0] : [])]);
        const pair = [0, 1, 2, 3, 4].find((s) => !used.has(s) && !used.has(s + 1));
        if (pair !== undefined) description.sharedMemory = [{ id: 1, bar: pair, offset: 0n, length: 0x10000n }];
      }
      return description;
    });
}

/** Name of a description's device type, for test titles. */
export function describeDevice(description: VirtioDeviceDescription): string {
  return `${deviceTypeName(description.deviceType) ?? description.deviceType}${description.transitional === true ? ' (transitional)' : ''}`;
}
