/**
 * Where xvc decode and `lspci -vvv` (pciutils 3.9) are known to disagree, and why lspci is the one that
 * is wrong (or out of date) there. The differential test fails on any disagreement not matched here.
 * Each entry says exactly which disagreements it covers; none is a blanket exemption.
 */
import type { DecodedDevice } from '../../targets/dump/device-decoding.ts';
import type { Disagreement } from './differential.ts';

/** One documented difference. */
export interface KnownDifference {
  id: string;
  /** What lspci does, and why that is wrong for a virtio-PCI conformance tool, with sources. */
  reason: string;
  /** Whether `disagreement` on `device` is this difference (and not something that merely looks like it). */
  matches(disagreement: Disagreement, device: DecodedDevice): boolean;
}

const VENDOR_CFG = 9;
const SHARED_MEMORY_CFG = 8;
const LOW_32 = 0xffff_ffffn;

function capabilityAt(device: DecodedDevice, offset: number | undefined) {
  return device.capabilities.find((c) => c.offset === offset);
}

function isPrefix(shorter: unknown, longer: unknown): boolean {
  if (!Array.isArray(shorter) || !Array.isArray(longer) || shorter.length >= longer.length) return false;
  return shorter.every((value, index) => value === longer[index]);
}

/** The table. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'lspci-follows-pointers-into-header',
    reason:
      'lspci (ls-caps.c show_caps) only masks the two low bits of a capability pointer and follows any non-zero value, ' +
      'so a pointer below 0x40 makes it decode bytes of the standard header as capabilities. Capabilities live after the ' +
      '64-byte header; Linux __pci_find_next_cap_ttl and Xen pci_find_next_cap_ttl end the walk at such a pointer ' +
      '(digest §4.3), and a virtio driver on Linux or Xen never sees what lspci shows. xvc stops there and reports ' +
      '`pointer-below-header`; up to that point both lists are equal.',
    matches: (d, device) =>
      d.kind === 'capability-offsets' && device.issues.some((i) => i.code === 'pointer-below-header') && isPrefix(d.xvc, d.lspci),
  },
  {
    id: 'lspci-reads-bar-fields-of-vendor-data',
    reason:
      'For cfg_type 9 (VIRTIO_PCI_CAP_VENDOR_CFG, virtio 1.2+) lspci 3.9 prints BAR/offset/size as if the capability were a ' +
      'struct virtio_pci_cap, but struct virtio_pci_vndr_data has no bar, offset or length: bytes 4-5 are the PCI-SIG ' +
      'vendor_id of the data format and the data lives in config space (VS13 §4.1.4.8, digest §1.10). xvc reports ' +
      'vendorId instead; lspci\'s BAR/offset/size for it are meaningless bytes.',
    matches: (d, device) =>
      (d.kind === 'virtio-bar' || d.kind === 'virtio-offset' || d.kind === 'virtio-length') && capabilityAt(device, d.offset)?.cfgType === VENDOR_CFG,
  },
  {
    id: 'lspci-requires-16-bytes-for-vendor-data',
    reason:
      'lspci decodes a virtio capability only when cap_len >= 16 (the size of struct virtio_pci_cap). The vendor data ' +
      'capability (cfg_type 9) is only required to hold its 6-byte header, padded to a multiple of 4 (VS13 §4.1.4.8, ' +
      'digest §1.10), so a complete 8- or 12-byte vendor data capability is shown by lspci as an undecoded "Len=.. <?>".',
    matches: (d, device) => {
      const cap = capabilityAt(device, d.offset);
      return d.kind === 'virtio-shown' && cap?.cfgType === VENDOR_CFG && cap.complete === true && (cap.capLen ?? 0) < 16;
    },
  },
  {
    id: 'lspci-3.9-prints-low-half-of-cap64',
    reason:
      'A shared memory capability (cfg_type 8) is a struct virtio_pci_cap64 whose offset and length are 64-bit: ' +
      'offset_hi:cap.offset and length_hi:cap.length (VS13 §4.1.4.7, digest §1.9). pciutils 3.9 prints only the 32-bit ' +
      'cap.offset and cap.length (it calls the type <unknown>); pciutils 3.14 decodes it as SharedMemory with 64-bit values ' +
      '(fixture pciutils-tests_virtio-fs-shm.lspci-vvv-pciutils3.14.txt). The low 32 bits agree.',
    matches: (d, device) => {
      if (d.kind !== 'virtio-offset' && d.kind !== 'virtio-length') return false;
      if (capabilityAt(device, d.offset)?.cfgType !== SHARED_MEMORY_CFG || d.xvc === undefined || typeof d.lspci !== 'number') return false;
      return (BigInt(d.xvc as number | string) & LOW_32) === BigInt(d.lspci);
    },
  },
];

/** The documented difference that explains `disagreement`, if any. */
export function knownDifferenceFor(disagreement: Disagreement, device: DecodedDevice): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((entry) => entry.matches(disagreement, device));
}
