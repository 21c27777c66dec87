/**
 * What a target says about how its device is used and which spec it follows. Some statements apply
 * only under a condition the device's bytes cannot show — VIRTIO-DEV-11 only to a device that is a
 * Xen grant backend or sits behind an IOMMU — and some were added in a later spec version than the
 * device may follow; both come from the target, never from a guess.
 */

/** The declarations of one target. */
export interface TargetDeclarations {
  /** Virtio spec versions the target says it follows (an adapter's `specVersions`); empty when it says none. */
  readonly specVersions: readonly string[];
  /** The device is used with Xen grant mappings (QEMU `grants=on`, an adapter's `deviceUse.grants`, the reference target). */
  readonly grants: boolean;
  /** The device sits behind an IOMMU (QEMU `iommu_platform=on`, an adapter's `deviceUse.iommu`). */
  readonly iommu: boolean;
  /** Where the declarations come from, in words, for the condition a verdict states. */
  readonly source: string;
}

/** What the checks assume when no declaration of the target reaches them. */
export const noDeclarations: TargetDeclarations = { specVersions: [], grants: false, iommu: false, source: 'no declaration of the target (grants, IOMMU, spec versions) reached the checks' };
