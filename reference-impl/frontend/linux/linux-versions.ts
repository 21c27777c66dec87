/**
 * The Linux kernels the models reproduce, as the code changes that tell them apart (digest §5.5,
 * §5.9): Petr Pavlu's 2023 patch 1 (NULL check on the root-bus bridge's parent), the 2026 dom0 fix
 * (no dom0 fallback in the initial domain) and the 7.2 rework of of_map_id that reads the target's
 * `#iommu-cells` (Robin Murphy's "of: Respect #{iommu,msi}-cells in maps", v16 applied by Rob Herring
 * on 2026-06-12, merged for 7.2 with 09fb6892f34a). Data, so a new kernel is one more entry.
 */

/** One modelled kernel line. */
export interface LinuxVersion {
  /** Frontend registry name. */
  name: string;
  /** Column of the digest's decision table 5.9 this kernel follows. */
  column: 'A' | 'B' | 'C' | 'D';
  description: string;
  /** xen_dt_get_node() returns NULL for a root-bus bridge without parent instead of dereferencing it (21a235bce123). */
  rootBridgeParentCheck: boolean;
  /** The dom0 fallback is skipped in the initial domain (dc8ea8714311, == Petr Pavlu 2/2 semantics). */
  initialDomainGuard: boolean;
  /**
   * of_map_id reads `#iommu-cells` of each iommu-map target (1 when absent) instead of assuming one
   * cell, and looks up every entry's target before testing its range (Linux 7.2).
   */
  ofMapIdRespectsCells: boolean;
}

/** Linux 6.2 up to the kernels without the NULL-dereference fix (column A). */
export const linux62: LinuxVersion = {
  name: 'linux-6.2',
  column: 'A',
  description: 'Linux 6.2 .. 6.4.y before the root-bus bridge NULL check (decision table column A)',
  rootBridgeParentCheck: false,
  initialDomainGuard: false,
  ofMapIdRespectsCells: false,
};

/** Mainline mid-2023 .. January 2026: patch 1 of the 2023 series only (column B). */
export const linux65: LinuxVersion = {
  name: 'linux-6.5',
  column: 'B',
  description: 'Linux mid-2023 .. 2025 with the NULL check but without the dom0 fix (decision table column B)',
  rootBridgeParentCheck: true,
  initialDomainGuard: false,
  ofMapIdRespectsCells: false,
};

/** Linux with the January 2026 dom0 fix (column C). */
export const linux2026: LinuxVersion = {
  name: 'linux-2026',
  column: 'C',
  description: 'Linux with the 2026 dom0 fix: no dom0 fallback in the initial domain; DT path unchanged (decision table column C)',
  rootBridgeParentCheck: true,
  initialDomainGuard: true,
  ofMapIdRespectsCells: false,
};

/** Linux 7.2: the 2026 dom0 fix plus of_map_id honouring `#iommu-cells` on the PCI path (column D). */
export const linux72: LinuxVersion = {
  name: 'linux-7.2',
  column: 'D',
  description: 'Linux 7.2: iommu-map specifiers as wide as the target\'s #iommu-cells (decision table column D); dom0 fix as in column C',
  rootBridgeParentCheck: true,
  initialDomainGuard: true,
  ofMapIdRespectsCells: true,
};

/** Every modelled kernel, oldest first. */
export const linuxVersions: readonly LinuxVersion[] = [linux62, linux65, linux2026, linux72];
