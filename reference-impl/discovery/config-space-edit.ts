/**
 * What a backend's device model does to its own config space to publish a value: a minimal virtio
 * function header to start from, and a capability appended to the legacy list in free space. The
 * walker of reference-impl/pci finds the existing list; every offset comes from generated layouts.
 */
import { anyNonZero } from '../../core/codec-runtime.ts';
import { PCI_CAP_HEADER_OFFSETS, PCI_CAP_HEADER_SIZE } from '../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAP_FIRST_OFFSET, PCI_CAPABILITY_LIST, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../generated/ts/pci/pci-type0-header.ts';
import { VIRTIO_PCI_CAP_ALIGN, VIRTIO_PCI_MODERN_DEVICE_ID_BASE, VIRTIO_PCI_MODERN_REVISION_MIN, VIRTIO_PCI_VENDOR_ID } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { walkCapabilities } from '../pci/capability-walker.ts';
import { readLe, writeLe } from '../pci/le-bytes.ts';

/** A 256-byte config space of a modern virtio function of `virtioDeviceId`, with no capabilities. */
export function minimalVirtioConfigSpace(virtioDeviceId: number): Uint8Array {
  const config = new Uint8Array(PCI_CFG_SPACE_SIZE);
  writeLe(config, PCI_TYPE0_HEADER_OFFSETS.vendorId, 2, VIRTIO_PCI_VENDOR_ID);
  writeLe(config, PCI_TYPE0_HEADER_OFFSETS.deviceId, 2, VIRTIO_PCI_MODERN_DEVICE_ID_BASE + virtioDeviceId);
  config[PCI_TYPE0_HEADER_OFFSETS.revisionId] = VIRTIO_PCI_MODERN_REVISION_MIN;
  return config;
}

/** Why a capability could not be added. */
export type AppendCapabilityError = { code: 'no-room'; size: number } | { code: 'too-large'; size: number };

/**
 * Adds `capability` (its next pointer is overwritten) to the end of the legacy list, at the highest
 * aligned all-zero place that overlaps no capability the walker found. Returns a new buffer.
 */
export function appendCapability(config: Uint8Array, capability: Uint8Array): { ok: true; config: Uint8Array; offset: number } | { ok: false; error: AppendCapabilityError } {
  const size = capability.length;
  if (size < PCI_CAP_HEADER_SIZE || size > PCI_CFG_SPACE_SIZE - PCI_CAP_FIRST_OFFSET) return { ok: false, error: { code: 'too-large', size } };
  const walk = walkCapabilities(config);
  const used = walk.capabilities.map((cap) => [cap.offset, cap.offset + Math.max(cap.length ?? 0, PCI_CAP_HEADER_SIZE)] as const);
  const limit = Math.min(config.length, PCI_CFG_SPACE_SIZE);
  let offset = -1;
  for (let start = Math.floor((limit - size) / VIRTIO_PCI_CAP_ALIGN) * VIRTIO_PCI_CAP_ALIGN; start >= PCI_CAP_FIRST_OFFSET; start -= VIRTIO_PCI_CAP_ALIGN) {
    const overlaps = used.some(([from, to]) => start < to && from < start + size);
    if (!overlaps && !anyNonZero(config.subarray(start, start + size))) {
      offset = start;
      break;
    }
  }
  if (offset < 0) return { ok: false, error: { code: 'no-room', size } };
  const result = config.slice();
  result.set(capability, offset);
  result[offset + PCI_CAP_HEADER_OFFSETS.capNext] = 0;
  const last = walk.capabilities.at(-1);
  if (last) {
    result[last.offset + PCI_CAP_HEADER_OFFSETS.capNext] = offset;
  } else {
    result[PCI_CAPABILITY_LIST] = offset;
    const status = readLe(result, PCI_TYPE0_HEADER_OFFSETS.status, 2);
    writeLe(result, PCI_TYPE0_HEADER_OFFSETS.status, 2, status | PciStatus.CAP_LIST);
  }
  return { ok: true, config: result, offset };
}
