import { describe, expect, it } from 'vitest';
import { PCI_TYPE0_HEADER_OFFSETS } from '../generated/ts/pci/pci-type0-header.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS } from '../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { VirtioPciCfgType } from '../generated/ts/virtio/virtio-pci-cap.ts';
import { preferredVirtioCapabilities, walkCapabilities } from '../reference-impl/pci/capability-walker.ts';
import { openDeviceTarget } from './create-target.ts';
import { TargetError } from './device-target.ts';
import { createReferenceDeviceTarget, functionsBeforeOpening, hasDeviceSide, referenceDescriptions } from './reference-device.ts';
import { parseTargetSpec } from './target-spec.ts';

describe('reference device target', () => {
  it('serves one live function per description, with the IDs the virtio rules give', async () => {
    const target = createReferenceDeviceTarget();
    const functions = await target.functions();
    expect(functions.map((fn) => fn.id)).toEqual(referenceDescriptions().map((entry) => entry.id));
    const ids = await Promise.all(functions.map(async (fn) => [fn.id, await fn.readConfig(PCI_TYPE0_HEADER_OFFSETS.deviceId, 2)] as const));
    expect(Object.fromEntries(ids)).toEqual({ net: 0x1041, 'net-transitional': 0x1000, blk: 0x1042, iommu: 0x1057, fs: 0x105a });
    for (const fn of functions) {
      expect(fn.live).toBe(true);
      expect((await fn.snapshot()).length).toBe(fn.configSize);
    }
    await target.close();
  });

  it('says before opening how many functions it will show (a progress total that never moves); one for targets that only know when opened', async () => {
    const target = await openDeviceTarget(parseTargetSpec('reference'));
    expect(functionsBeforeOpening(parseTargetSpec('reference'))).toBe((await target.functions()).length);
    await target.close();
    expect(functionsBeforeOpening(parseTargetSpec('dump:fixtures/none.lspci'))).toBe(1);
    expect(functionsBeforeOpening(parseTargetSpec('qemu:virtio-rng-pci'))).toBe(1);
  });

  it('is what openDeviceTarget returns for `reference`', async () => {
    const target = await openDeviceTarget(parseTargetSpec('reference'));
    expect(target.metadata.kind).toBe('reference');
    expect((await target.functions()).length).toBe(referenceDescriptions().length);
  });

  it('reaches the common configuration through the BAR the capability names', async () => {
    const [net] = await createReferenceDeviceTarget().functions();
    const walk = walkCapabilities(await net!.snapshot());
    const common = preferredVirtioCapabilities(walk).get(VirtioPciCfgType.COMMON_CFG)!.virtio!;
    const sizes = await net!.barSizes!();
    expect(sizes[common.bar]).toBeGreaterThan(0);
    const at = Number(common.offset) + VIRTIO_PCI_COMMON_CFG_OFFSETS.numQueues;
    expect(await net!.readBar!(common.bar, at, 2)).toBe(3);
  });

  it('rejects config accesses outside the space as a targetInput TargetError', async () => {
    const [net] = await createReferenceDeviceTarget().functions();
    await expect(net!.readConfig(net!.configSize - 1, 4)).rejects.toBeInstanceOf(TargetError);
    await expect(net!.writeConfig!(-1, 1, 0)).rejects.toMatchObject({ diagnostic: 'targetInput' });
  });

  it('offers device-side control that moves config_generation', async () => {
    const [net] = await createReferenceDeviceTarget().functions();
    if (!hasDeviceSide(net!)) throw new Error('reference functions offer device-side control');
    const common = preferredVirtioCapabilities(walkCapabilities(await net.snapshot())).get(VirtioPciCfgType.COMMON_CFG)!.virtio!;
    const generationAt = Number(common.offset) + VIRTIO_PCI_COMMON_CFG_OFFSETS.configGeneration;
    const before = await net.readBar!(common.bar, generationAt, 1);
    expect(net.deviceSide.changeDeviceConfig(0, Uint8Array.of(0xaa))).toBe(true);
    expect(await net.readBar!(common.bar, generationAt, 1)).not.toBe(before);
  });
});
