import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { decodePciMsixCap } from '../../generated/ts/pci/pci-msix-cap.ts';
import { decodePciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { decodeVirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';
import { walkCapabilities } from '../pci/capability-walker.ts';
import { DeviceModel } from './device-model.ts';
import { arbitraryDescription, modernNetDescription } from './example-devices.ts';

// Expected values follow the digest's rules (§1.2, §1.3, §1.4), written out independently of the model.
const TRANSITIONAL_IDS: Record<number, number> = { 1: 0x1000, 2: 0x1001, 5: 0x1002, 3: 0x1003, 8: 0x1004, 4: 0x1005, 9: 0x1009 };

describe('the reference backend, decoded by the generated codecs, matches its description', () => {
  it('header: IDs, revision, subsystem, capability list', () => {
    fc.assert(
      fc.property(arbitraryDescription(), (description) => {
        const config = new DeviceModel(description).snapshot();
        const { value: header, issues } = decodePciType0Header(config);
        expect(issues).toEqual([]);
        expect(header.vendorId).toBe(0x1af4);
        if (description.transitional === true) {
          expect(header.deviceId).toBe(TRANSITIONAL_IDS[description.deviceType]);
          expect(header.revisionId).toBe(0);
          expect(header.subsystemId).toBe(description.deviceType);
        } else {
          expect(header.deviceId).toBe(0x1040 + description.deviceType);
          expect(header.revisionId).toBeGreaterThanOrEqual(1);
          expect(header.subsystemId).toBeGreaterThanOrEqual(0x40);
        }
        expect(header.status & 0x10).toBe(0x10);
        expect(config.length).toBe(description.pcie === true ? 4096 : 256);
      }),
      propertyParameters(),
    );
  });

  it('capabilities: every structure where the placement says, in preference order, with no walk issues', () => {
    fc.assert(
      fc.property(arbitraryDescription(), (description) => {
        const model = new DeviceModel(description);
        const config = model.snapshot();
        const walk = walkCapabilities(config);
        expect(walk.issues).toEqual([]);
        const virtio = walk.capabilities.filter((cap) => cap.virtio !== undefined);
        for (const cap of virtio) {
          const decoded = decodeVirtioPciCapability(config, cap.offset, cap.offset + cap.length!);
          expect(decoded.issues).toEqual([]);
        }
        const p = description.placement;
        const byType = (cfgType: number) => virtio.filter((cap) => cap.virtio!.cfgType === cfgType).map((cap) => cap.virtio!);
        expect(byType(1)).toMatchObject([{ bar: p.bar, offset: p.common }]);
        expect(byType(2)).toMatchObject([{ bar: p.bar, offset: p.notify, notifyOffMultiplier: description.notifyOffMultiplier }]);
        expect(byType(3)).toMatchObject([{ bar: p.bar, offset: p.isr }]);
        const deviceConfig = description.deviceConfig ?? new Uint8Array(0);
        expect(byType(4)).toMatchObject(deviceConfig.length > 0 ? [{ bar: p.bar, offset: p.device, length: deviceConfig.length }] : []);
        expect(byType(5)).toHaveLength(1);
        expect(byType(8).map((cap) => ({ id: cap.id, bar: cap.bar, offset: cap.offset, length: cap.length }))).toEqual(
          (description.sharedMemory ?? []).map((region) => ({ id: region.id, bar: region.bar, offset: region.offset, length: region.length })),
        );
        expect(byType(9).map((cap) => ({ vendorId: cap.vendorId, data: cap.vendorData!.subarray(0, (description.vendorData ?? [])[byType(9).indexOf(cap)]!.data.length) }))).toEqual(
          (description.vendorData ?? []).map((vendor) => ({ vendorId: vendor.vendorId, data: vendor.data })),
        );
        // Common config first, as a device lists its preferred structures first.
        expect(virtio[0]!.virtio!.cfgType).toBe(1);
        const msix = walk.capabilities.find((cap) => cap.id === 0x11);
        if ((description.msixVectors ?? 0) > 0) {
          expect(decodePciMsixCap(config, msix!.offset).value.tableSize).toBe(description.msixVectors! - 1);
        } else {
          expect(msix).toBeUndefined();
        }
        // Every structure fits in its BAR.
        const sizes = model.barSizes();
        for (const cap of virtio) {
          const v = cap.virtio!;
          if (v.cfgType === 5 || v.cfgType === 9) continue;
          expect(BigInt(v.offset) + BigInt(v.length)).toBeLessThanOrEqual(BigInt(sizes[v.bar]!));
        }
      }),
      propertyParameters(),
    );
  });

  it('a QEMU-like description gives the capability chain QEMU 7.2 shows for virtio-net', () => {
    const walk = walkCapabilities(new DeviceModel(modernNetDescription()).snapshot());
    expect(walk.capabilities.filter((cap) => cap.virtio).map((cap) => [cap.virtio!.cfgType, cap.virtio!.bar, cap.virtio!.offset])).toEqual([
      [1, 4, 0],
      [2, 4, 0x3000],
      [3, 4, 0x1000],
      [4, 4, 0x2000],
      [5, 0, 0],
    ]);
  });
});
