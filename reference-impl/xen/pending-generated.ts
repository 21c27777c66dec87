/**
 * TEMPORARY SHIM — facts that belong in spec/ (and so in generated/) but are not there yet. Every
 * value here is quoted from the digest; nothing else in reference-impl/ may type them. When the spec
 * gains them, replace each export with a re-export from generated/ts and delete this file.
 *
 * Needed in spec/layouts/xen/xen-toolstack.yaml (or a new spec/layouts/xen/device-tree.yaml):
 * - MAX_PHANDLE_ARGS (Linux include/linux/of.h): specifier cells Linux keeps per phandle reference;
 * - IOMMU_MAP_MASK_DEFAULT (Linux drivers/of/base.c of_map_id): all ones when iommu-map-mask is absent;
 * - XEN_GRANT_DMA_COMPATIBLE (LX-dtb, digest §5.4): a string, which the layout schema's integer
 *   constants cannot hold yet.
 */

/** PENDING spec: Linux MAX_PHANDLE_ARGS. */
export const MAX_PHANDLE_ARGS = 16;

/** PENDING spec: the iommu-map-mask Linux applies when the property is absent (every RID bit). */
export const IOMMU_MAP_MASK_DEFAULT = 0xffff_ffff;

/** PENDING spec: compatible string of the node whose specifier cell is a backend domid. */
export const XEN_GRANT_DMA_COMPATIBLE = 'xen,grant-dma';
