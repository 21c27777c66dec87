/**
 * The conformant subjects of the mutation suite: the reference target's devices, plus the few
 * shapes a rule needs before it applies at all (a notification structure in an I/O BAR and a legacy
 * fend-off BAR0, ADMIN_VQ, an iommu offering BYPASS_CONFIG, two shared memory regions). Every one is
 * a description the reference model builds and `checkDescription` accepts: conformant by construction.
 */
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_IOMMU_CONFIG_OFFSETS, VirtioIommuFeatures } from '../../generated/ts/virtio/virtio-iommu-config.ts';
import { modernNetDescription, type VirtioDeviceDescription } from '../../reference-impl/virtio/index.ts';
import { referenceDescriptions } from '../../targets/reference-device.ts';
import type { TargetDeclarations } from '../device/checks/declarations.ts';

/** One conformant device. */
export interface Subject {
  readonly id: string;
  readonly title: string;
  readonly description: VirtioDeviceDescription;
}

/** What every subject declares: it is a grant backend (VIRTIO-DEV-11 applies), following the checks' own spec version. */
export const subjectDeclarations: TargetDeclarations = { specVersions: [], grants: true, iommu: false, source: 'the mutation suite (every subject is a grant backend)' };

function described(id: string): VirtioDeviceDescription {
  return referenceDescriptions().find((entry) => entry.id === id)!.device;
}

/** Every conformant subject, the reference target's first. */
export function subjects(): Subject[] {
  const reference = referenceDescriptions().map((entry) => ({ id: entry.id, title: entry.description, description: entry.device }));
  const iommu = described('iommu');
  const iommuConfig = Uint8Array.from(iommu.deviceConfig ?? []);
  iommuConfig[VIRTIO_IOMMU_CONFIG_OFFSETS.bypass] = 1;
  const fs = described('fs');
  return [
    ...reference,
    {
      id: 'net-pio',
      title: 'virtio-net with a notification structure in I/O BAR2 (modern-pio-notify), a legacy fend-off BAR0 and ADMIN_VQ',
      description: modernNetDescription({
        features: modernNetDescription().features | VirtioFeatures.ADMIN_VQ,
        placement: { ...modernNetDescription().placement, notifyIoBar: 2 },
        fendOffLegacyDrivers: true,
        commonConfigVersion: '1.3',
      }),
    },
    {
      id: 'iommu-bypass',
      title: 'virtio-iommu offering BYPASS_CONFIG, bypass set',
      description: { ...iommu, features: iommu.features | BigInt(VirtioIommuFeatures.BYPASS_CONFIG), deviceConfig: iommuConfig },
    },
    {
      id: 'fs-regions',
      title: 'virtio-fs with two shared memory regions in one BAR',
      description: { ...fs, sharedMemory: [...(fs.sharedMemory ?? []), { id: 1, bar: 2, offset: 0x10000n, length: 0x10000n }] },
    },
  ];
}
