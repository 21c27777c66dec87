/**
 * What the capability walker returns: the capabilities it found, in list order, and every anomaly
 * as a located issue. Shared by the walker, the virtio transport and the suites.
 */
import type { LayoutIssue } from '../../core/codec-runtime.ts';
import type { VirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';

/** The virtio reading of a vendor-specific capability (only on functions with virtio IDs). */
export interface WalkedVirtioCapability {
  cfgType: number;
  /** BAR index; -1 for VENDOR_CFG, whose structure has no BAR. */
  bar: number;
  /** `id` byte; -1 for VENDOR_CFG. */
  id: number;
  /** Structure offset in the BAR: a bigint for the 64-bit (shared memory) form, else a number; 0 for VENDOR_CFG. */
  offset: number | bigint;
  /** Structure length: a bigint for the 64-bit form, else a number; 0 for VENDOR_CFG. */
  length: number | bigint;
  /** NOTIFY_CFG only. */
  notifyOffMultiplier?: number;
  /** VENDOR_CFG only: the PCI-SIG vendor ID that names the data format. */
  vendorId?: number;
  /** VENDOR_CFG only: the vendor bytes after the header, up to cap_len. */
  vendorData?: Uint8Array;
  /** Reserved cfg_type, or a BAR index above 5: a driver ignores the capability (PCI-DRV-07, PCI-DRV-10). */
  reserved: boolean;
  /** cap_len covers the structure its cfg_type needs and every byte of it is inside the legacy space. */
  complete: boolean;
  /** The value the generated union decoder produced. */
  decoded: VirtioPciCapability;
  /** Constraint issues the generated decoder reported for this capability. */
  layoutIssues: LayoutIssue[];
}

/** One capability of the legacy list. */
export interface WalkedCapability {
  /** Config-space offset of the capability (its ID byte). */
  offset: number;
  id: number;
  /** The raw next-pointer byte, before masking. */
  next: number;
  /** cap_len, for vendor-specific capabilities. */
  length?: number;
  virtio?: WalkedVirtioCapability;
}

/** One capability of the PCI Express extended list. */
export interface WalkedExtendedCapability {
  offset: number;
  id: number;
  version: number;
  /** Next offset as the header encodes it (already dword-masked by the layout). */
  next: number;
}

interface IssueBase {
  /** Config-space offset the problem is about: a pointer byte, a capability or a field. */
  offset: number;
  message: string;
}

/** An anomaly met while walking; the walk never throws. A discriminated union on `code`. */
export type WalkIssue =
  | (IssueBase & { code: 'truncated'; needed: number; available: number })
  | (IssueBase & { code: 'no-capability-list'; status: number })
  | (IssueBase & { code: 'pointer-below-header'; pointer: number })
  | (IssueBase & { code: 'pointer-unaligned'; pointer: number })
  | (IssueBase & { code: 'loop'; pointer: number })
  | (IssueBase & { code: 'ttl-exceeded'; ttl: number })
  | (IssueBase & { code: 'id-ff' })
  | (IssueBase & { code: 'cap-past-end'; capLen: number; limit: number })
  | (IssueBase & { code: 'cap-len-too-small'; capLen: number; minimum: number })
  | (IssueBase & { code: 'reserved-cfg-type'; cfgType: number })
  | (IssueBase & { code: 'reserved-bar'; bar: number })
  | (IssueBase & { code: 'ext-pointer-below-0x100'; pointer: number })
  | (IssueBase & { code: 'ext-pointer-unaligned'; pointer: number })
  | (IssueBase & { code: 'ext-loop'; pointer: number })
  | (IssueBase & { code: 'ext-all-ones' });

/** The result of walking a function's capability lists. */
export interface CapabilityWalk {
  /** Legacy capabilities in list order. */
  capabilities: WalkedCapability[];
  /** Extended capabilities in list order (only for spaces larger than 256 bytes). */
  extended: WalkedExtendedCapability[];
  issues: WalkIssue[];
}

/** Every walk issue code, for exhaustive tables and reports. */
export const walkIssueCodes: readonly WalkIssue['code'][] = [
  'truncated',
  'no-capability-list',
  'pointer-below-header',
  'pointer-unaligned',
  'loop',
  'ttl-exceeded',
  'id-ff',
  'cap-past-end',
  'cap-len-too-small',
  'reserved-cfg-type',
  'reserved-bar',
  'ext-pointer-below-0x100',
  'ext-pointer-unaligned',
  'ext-loop',
  'ext-all-ones',
];
