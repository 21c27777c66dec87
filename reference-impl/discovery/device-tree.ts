/**
 * Strict readers of the two device-tree mechanisms, and what a toolstack writes for them. Unlike the
 * Linux models, a reader here tells "nothing for this device" (absent) from "something is there but
 * wrong" (malformed: dangling phandle, wrong #iommu-cells, a cell that does not fit domid_t, a mask
 * that hides the RID base, an entry whose range overflows 32 bits), so a frontend can fail closed.
 */
import type { Scenario, ScenarioDevice, ScenarioDeviceTree, ScenarioIommuNode } from '../../generated/ts/schema/scenario.ts';
import { GUEST_PHANDLE_IOMMU, XEN_GRANT_DMA_IOMMU_CELLS } from '../../generated/ts/xen/xen-toolstack.ts';
import { DOMID_T_MAX } from '../xen/domid.ts';
import { hostBridgeNamed, IOMMU_MAP_MASK_DEFAULT, isGrantDmaNode, mmioNodeNamed, nodeByPhandle, parseIommus, requesterIdOf, XEN_GRANT_DMA_COMPATIBLE } from './device-tree-of.ts';
import type { DiscoveryReading } from './mechanism.ts';

const absent: DiscoveryReading = { kind: 'absent' };
const malformed = (reason: string): DiscoveryReading => ({ kind: 'malformed', reason });

/** The xen,grant-dma node libxl creates (make_xen_iommu_node). */
export function grantDmaNode(): ScenarioIommuNode {
  return { phandle: GUEST_PHANDLE_IOMMU, compatible: [XEN_GRANT_DMA_COMPATIBLE], iommuCells: XEN_GRANT_DMA_IOMMU_CELLS };
}

/** A copy of the scenario's tree (an empty one when there is none) with the xen,grant-dma node present. */
export function treeWithGrantDmaNode(scenario: Scenario): ScenarioDeviceTree {
  const tree = scenario.channels.deviceTree ?? { iommuNodes: [], mmioNodes: [], pciHostBridges: [] };
  const hasNode = tree.iommuNodes.some((node) => node.phandle === GUEST_PHANDLE_IOMMU);
  return { ...tree, iommuNodes: hasNode ? tree.iommuNodes : [...tree.iommuNodes, grantDmaNode()] };
}

function checkGrantDmaTarget(target: ScenarioIommuNode, specifier: number[]): DiscoveryReading | undefined {
  if (!isGrantDmaNode(target)) return absent;
  if (target.iommuCells !== XEN_GRANT_DMA_IOMMU_CELLS) return malformed(`xen,grant-dma node ${target.phandle} has #iommu-cells ${String(target.iommuCells)}`);
  if (specifier.length !== XEN_GRANT_DMA_IOMMU_CELLS) return malformed(`xen,grant-dma specifier has ${specifier.length} cells`);
  const cell = specifier[0]!;
  if (cell > DOMID_T_MAX) return malformed(`specifier cell 0x${cell.toString(16)} does not fit a 16-bit domid`);
  return undefined;
}

/** Reads `iommus` of a virtio-mmio device's node. */
export function readIommus(scenario: Scenario, device: ScenarioDevice): DiscoveryReading {
  if (device.transport !== 'mmio' || device.dtNode === undefined) return absent;
  const tree = scenario.channels.deviceTree;
  const node = mmioNodeNamed(tree, device.dtNode);
  if (!tree || !node) return malformed(`device names DT node '${device.dtNode}', which the tree lacks`);
  const parsed = parseIommus(tree, node);
  if (!parsed.ok) return parsed.code === 'no-property' ? absent : malformed(`iommus cannot be parsed: ${parsed.code}`);
  const problem = checkGrantDmaTarget(parsed.value.target, parsed.value.args);
  return problem ?? { kind: 'domid', domid: parsed.value.args[0]! };
}

/** Reads the host bridge's `iommu-map` for a PCI device, without 32-bit wrap-around. */
export function readIommuMap(scenario: Scenario, device: ScenarioDevice): DiscoveryReading {
  if (device.transport !== 'pci' || device.hostBridgeDtNode === undefined || !device.bdf) return absent;
  const tree = scenario.channels.deviceTree;
  const bridge = hostBridgeNamed(tree, device.hostBridgeDtNode);
  if (!tree || !bridge) return malformed(`device names host bridge '${device.hostBridgeDtNode}', which the tree lacks`);
  const map = bridge.iommuMap;
  if (map === undefined) return absent;
  if (map.length === 0) return malformed('iommu-map is empty');
  const deviceRid = requesterIdOf(device.bdf);
  if (deviceRid === undefined) return malformed('device BDF is out of range');
  const mask = BigInt(bridge.iommuMapMask ?? IOMMU_MAP_MASK_DEFAULT);
  const rid = BigInt(deviceRid) & mask;
  for (const entry of map) {
    const base = BigInt(entry.ridBase);
    if ((base & ~mask) !== 0n) return malformed(`iommu-map-mask 0x${mask.toString(16)} hides bits of rid-base 0x${base.toString(16)}`);
    if (base + BigInt(entry.length) > 1n << 32n) return malformed(`iommu-map entry at rid-base 0x${base.toString(16)} overflows 32 bits`);
  }
  const entry = map.find((candidate) => rid >= BigInt(candidate.ridBase) && rid < BigInt(candidate.ridBase) + BigInt(candidate.length));
  if (!entry) return absent;
  const target = nodeByPhandle(tree, entry.phandle);
  if (!target) return malformed(`iommu-map names phandle ${entry.phandle}, which the tree lacks`);
  const specifier = rid - BigInt(entry.ridBase) + BigInt(entry.domidBase);
  if (specifier > BigInt(DOMID_T_MAX)) return malformed(`iommu-map gives 0x${specifier.toString(16)}, which does not fit a 16-bit domid`);
  const problem = checkGrantDmaTarget(target, [Number(specifier)]);
  return problem ?? { kind: 'domid', domid: Number(specifier) };
}
