import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildConfig, modernCapabilities, modernHeader } from '../../../test-support/device-checks/test-configs.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { capabilitiesOfType, capabilityListAbsent, isTransitional, isVirtioCandidate, notVirtioReason, viewFunction, virtioDeviceType } from './function-view.ts';

/** virtio_pci_cap cfg_type values (VS13 §4.1.4): test data from the spec. */
const COMMON_CFG = 1;
const NOTIFY_CFG = 2;
const PCI_CFG = 5;

const view = (overrides: Parameters<typeof modernHeader>[0] = {}, options: { claimedVirtio?: boolean } = {}) => viewFunction('f', buildConfig(modernHeader(overrides)), options);

describe('viewFunction', () => {
  it('decodes the header and walks the capabilities of a complete config space', () => {
    const seen = view();
    expect(seen).toMatchObject({ functionId: 'f', truncated: false, claimedVirtio: false, headerComplete: true });
    expect(seen.header).toMatchObject({ vendorId: 0x1af4, deviceId: 0x1041, capabilitiesPointer: 0x40 });
    // Five virtio capabilities, then MSI-X (not virtio).
    expect(seen.virtioCapabilities.map((capability) => capability.virtio.cfgType)).toEqual([COMMON_CFG, 3, 4, NOTIFY_CFG, PCI_CFG]);
    expect(seen.virtioCapabilities[0]).toMatchObject({ offset: 0x40, capLen: 16 });
    expect(capabilitiesOfType(seen, NOTIFY_CFG).map((capability) => capability.virtio.offset)).toEqual([0x3000]);
  });

  it('reads a dump cut short without throwing: the header it lacks reads 0 and is marked incomplete', () => {
    const cut = viewFunction('f', buildConfig().subarray(0, 0x20), { truncated: true });
    expect(cut).toMatchObject({ truncated: true, headerComplete: false });
    expect(cut.header.subsystemId).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(() => viewFunction('random', bytes)).not.toThrow();
      }),
      propertyParameters(),
    );
  });

  it('knows when the status register says there is no capability list', () => {
    expect(capabilityListAbsent(view())).toBe(false);
    expect(capabilityListAbsent(view({ status: 0 }))).toBe(true);
  });
});

describe('which functions are judged as virtio (VS13 §4.1.2)', () => {
  it('judges the virtio vendor ID with a device ID in 0x1000..0x107f', () => {
    for (const deviceId of [0x1000, 0x103f, 0x1040, 0x1041, 0x107f]) expect(notVirtioReason(view({ deviceId })), deviceId.toString(16)).toBeUndefined();
  });

  it('does not judge another function of the virtio vendor, saying why', () => {
    for (const deviceId of [0x0fff, 0x1080, 0x1110]) {
      expect(isVirtioCandidate(view({ deviceId }))).toBe(false);
      expect(notVirtioReason(view({ deviceId }))).toContain(`device ID 0x${deviceId.toString(16)}, outside the virtio range 0x1000..0x107f`);
    }
  });

  it('judges another vendor only when the target says the function is meant to be virtio', () => {
    expect(notVirtioReason(view({ vendorId: 0x8086 }))).toBe('not a virtio function (vendor 0x8086, device 0x1041)');
    expect(notVirtioReason(view({ vendorId: 0x8086 }, { claimedVirtio: true }))).toBeUndefined();
  });
});

describe('the device type the IDs name', () => {
  it('is the device ID minus 0x1040 for a modern ID', () => {
    expect(virtioDeviceType(view({ deviceId: 0x1041 }))).toBe(1);
    expect(virtioDeviceType(view({ deviceId: 0x1059 }))).toBe(0x19);
    expect(virtioDeviceType(view({ deviceId: 0x107f }))).toBe(0x3f);
    expect(virtioDeviceType(view({ deviceId: 0x1040 }))).toBeUndefined();
    expect(isTransitional(view({ deviceId: 0x1041 }))).toBe(false);
  });

  it('comes from the table of transitional IDs for 0x1000..0x103f (network 0x1000, block 0x1001, entropy 0x1005)', () => {
    expect(virtioDeviceType(view({ deviceId: 0x1000 }))).toBe(1);
    expect(virtioDeviceType(view({ deviceId: 0x1001 }))).toBe(2);
    expect(virtioDeviceType(view({ deviceId: 0x1005 }))).toBe(4);
    expect(virtioDeviceType(view({ deviceId: 0x1030 }))).toBeUndefined();
    for (const deviceId of [0x1000, 0x103f]) expect(isTransitional(view({ deviceId }))).toBe(true);
  });
});

describe('capabilitiesOfType', () => {
  it('lists every capability of a type in list order, and none of a type that is absent', () => {
    const twoCommon = [...modernCapabilities(), modernCapabilities()[0]!];
    const seen = viewFunction('f', buildConfig(modernHeader(), twoCommon));
    expect(capabilitiesOfType(seen, COMMON_CFG).map((capability) => capability.offset)).toEqual([0x40, seen.virtioCapabilities.at(-1)!.offset]);
    expect(capabilitiesOfType(seen, 8)).toEqual([]);
  });
});
