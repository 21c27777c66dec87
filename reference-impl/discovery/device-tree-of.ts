/**
 * What Linux's OF helpers return for the two device-tree shapes that carry a Xen backend domid:
 * `of_parse_phandle_with_args(np, "iommus", "#iommu-cells", 0)` for a platform (virtio-mmio) node and
 * `of_map_id(host_bridge, rid, "iommu-map", "iommu-map-mask")` for a PCI function. Both keep Linux's
 * 32-bit arithmetic (wrap-around included) so that the Linux models stay faithful; the strict
 * readers in device-tree.ts classify the same results more carefully.
 */
import type { Bdf } from '../pci/address-codecs.ts';
import { encodeRequesterId } from '../pci/address-codecs.ts';
import type {
  ScenarioDeviceTree,
  ScenarioIommuNode,
  ScenarioMmioNode,
  ScenarioPciHostBridge,
} from '../../generated/ts/schema/scenario.ts';

import { IOMMU_MAP_MASK_DEFAULT, MAX_PHANDLE_ARGS, XEN_GRANT_DMA_COMPATIBLE } from '../../generated/ts/xen/device-tree.ts';

export { IOMMU_MAP_MASK_DEFAULT, MAX_PHANDLE_ARGS, XEN_GRANT_DMA_COMPATIBLE };

/** An `of_phandle_args`: the node a phandle resolved to and its specifier cells. */
export interface PhandleArgs {
  target: ScenarioIommuNode;
  args: number[];
}

/** Result of of_parse_phandle_with_args for index 0. */
export type ParsedIommus =
  | { ok: true; value: PhandleArgs }
  | { ok: false; code: 'no-property' | 'empty-phandle' | 'unknown-phandle' | 'no-cells-property' | 'too-short' };

/** Finds the node carrying `phandle`. */
export function nodeByPhandle(tree: ScenarioDeviceTree, phandle: number): ScenarioIommuNode | undefined {
  return phandle === 0 ? undefined : tree.iommuNodes.find((node) => node.phandle === phandle);
}

/** True when the node lists the xen,grant-dma compatible (of_device_is_compatible). */
export function isGrantDmaNode(node: ScenarioIommuNode | undefined): boolean {
  return node !== undefined && node.compatible.includes(XEN_GRANT_DMA_COMPATIBLE);
}

/** of_parse_phandle_with_args(node, "iommus", "#iommu-cells", 0). */
export function parseIommus(tree: ScenarioDeviceTree, node: ScenarioMmioNode): ParsedIommus {
  const cells = node.iommus;
  if (cells === undefined || cells.length === 0) return { ok: false, code: 'no-property' };
  const phandle = cells[0]!;
  if (phandle === 0) return { ok: false, code: 'empty-phandle' };
  const target = nodeByPhandle(tree, phandle);
  if (!target) return { ok: false, code: 'unknown-phandle' };
  if (target.iommuCells === undefined) return { ok: false, code: 'no-cells-property' };
  if (1 + target.iommuCells > cells.length) return { ok: false, code: 'too-short' };
  const count = Math.min(target.iommuCells, MAX_PHANDLE_ARGS);
  return { ok: true, value: { target, args: cells.slice(1, 1 + count) } };
}

/** Result of of_map_id with a target pointer and an id_out pointer. */
export type MappedId =
  | { ok: true; kind: 'translated'; target: ScenarioIommuNode; id: number }
  /** No entry matched: Linux logs "no iommu-map translation", returns 0 and leaves the target unset. */
  | { ok: true; kind: 'bypass'; id: number }
  | { ok: false; code: 'no-map' | 'bad-length' | 'mask-ignores-base' | 'unknown-phandle' };

const u32 = (value: number): number => value >>> 0;

/** of_map_id(bridge, rid, "iommu-map", "iommu-map-mask", &target, &id), in 32-bit arithmetic. */
export function mapRequesterId(tree: ScenarioDeviceTree, bridge: ScenarioPciHostBridge, rid: number): MappedId {
  const map = bridge.iommuMap;
  if (map === undefined) return { ok: false, code: 'no-map' };
  if (map.length === 0) return { ok: false, code: 'bad-length' };
  const mask = bridge.iommuMapMask ?? IOMMU_MAP_MASK_DEFAULT;
  const masked = u32(mask & rid);
  for (const entry of map) {
    if (u32(entry.ridBase & ~mask) !== 0) return { ok: false, code: 'mask-ignores-base' };
    const end = u32(entry.ridBase + entry.length);
    if (masked < entry.ridBase || masked >= end) continue;
    const target = nodeByPhandle(tree, entry.phandle);
    if (!target) return { ok: false, code: 'unknown-phandle' };
    return { ok: true, kind: 'translated', target, id: u32(masked - entry.ridBase + entry.domidBase) };
  }
  return { ok: true, kind: 'bypass', id: rid };
}

/** PCI_DEVID(bus, devfn) of a function, through the requester-id codec; undefined for an out-of-range BDF. */
export function requesterIdOf(bdf: Bdf): number | undefined {
  try {
    return encodeRequesterId(bdf);
  } catch {
    return undefined;
  }
}

/** The mmio node a device names, if the tree has it. */
export function mmioNodeNamed(tree: ScenarioDeviceTree | undefined, name: string | undefined): ScenarioMmioNode | undefined {
  if (tree === undefined || name === undefined) return undefined;
  return tree.mmioNodes.find((node) => node.name === name);
}

/** The host-bridge node a device names, if the tree has it. */
export function hostBridgeNamed(tree: ScenarioDeviceTree | undefined, name: string | undefined): ScenarioPciHostBridge | undefined {
  if (tree === undefined || name === undefined) return undefined;
  return tree.pciHostBridges.find((bridge) => bridge.name === name);
}

/**
 * Result of of_map_iommu_id as of Linux 7.2 ("of: Respect #{iommu,msi}-cells in maps", merged with
 * the devicetree pull 09fb6892f34a): the specifier carries as many cells as the target node's
 * `#iommu-cells` says, so the caller sees `args.length`.
 */
export type MappedSpecifier =
  | { ok: true; kind: 'translated'; target: ScenarioIommuNode; args: number[] }
  | { ok: true; kind: 'bypass' }
  | { ok: false; code: 'bad-length' | 'mask-ignores-base' | 'unknown-phandle' | 'too-many-cells' | 'range-with-cells' };

/** The `iommu-map` as the raw cells of the property: four per entry, in entry order. */
export function iommuMapCells(bridge: ScenarioPciHostBridge): number[] | undefined {
  return bridge.iommuMap?.flatMap((entry) => [entry.ridBase, entry.phandle, entry.domidBase, entry.length]);
}

/**
 * 7.2's workaround for old trees: a map whose every 4-cell entry targets the first entry's node with
 * length 1 is read as 1-cell even when that node says `#iommu-cells = <2>`.
 */
function oldStyleMap(cells: readonly number[]): boolean {
  if (cells.length % 4 !== 0) return false;
  for (let index = 0; index < cells.length; index += 4) if (cells[index + 1] !== cells[1] || cells[index + 3] !== 1) return false;
  return true;
}

/**
 * of_map_iommu_id(bridge, rid, &spec) from Linux 7.2 on: entries are as wide as their target's
 * `#iommu-cells` (1 when the property is missing), every entry's target is looked up before its range
 * is tested, a range of more than one id needs a 1-cell specifier, and no map at all is a bypass.
 * Loops are bounded by the property's length.
 */
export function mapRequesterIdRespectingCells(tree: ScenarioDeviceTree, bridge: ScenarioPciHostBridge, rid: number): MappedSpecifier {
  const cells = iommuMapCells(bridge);
  if (cells === undefined) return { ok: true, kind: 'bypass' };
  const mask = bridge.iommuMapMask ?? IOMMU_MAP_MASK_DEFAULT;
  const masked = u32(mask & rid);
  let offset = 0;
  let oldStyle = false;
  while (offset < cells.length) {
    if (cells.length - offset < 2) return { ok: false, code: 'bad-length' };
    const idBase = cells[offset]!;
    if (u32(idBase & ~mask) !== 0) return { ok: false, code: 'mask-ignores-base' };
    const target = nodeByPhandle(tree, cells[offset + 1]!);
    if (!target) return { ok: false, code: 'unknown-phandle' };
    let width = oldStyle ? 1 : (target.iommuCells ?? 1);
    if (width > MAX_PHANDLE_ARGS) return { ok: false, code: 'too-many-cells' };
    if (offset === 0 && width === 2) {
      oldStyle = oldStyleMap(cells);
      if (oldStyle) width = 1;
    }
    if (cells.length - offset < 3 + width) return { ok: false, code: 'bad-length' };
    const outBase = cells.slice(offset + 2, offset + 2 + width);
    offset += 3 + width;
    const idLength = cells[offset - 1]!;
    const idOffset = u32(masked - idBase);
    if (masked < idBase || idOffset >= idLength) continue;
    if (idLength > 1 && width > 1) return { ok: false, code: 'range-with-cells' };
    return { ok: true, kind: 'translated', target, args: outBase.map((base) => u32(idOffset + base)) };
  }
  return { ok: true, kind: 'bypass' };
}
