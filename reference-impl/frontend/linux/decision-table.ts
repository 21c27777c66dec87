/**
 * The digest's decision table 5.9 as data: one scenario per row (rows with "any" FG or with several
 * situations are split into variants) and the outcome each column predicts, written in the table's
 * own notation, plus column D (Linux 7.2, whose of_map_id reads `#iommu-cells`) and a few rows the
 * table lacks (negotiated features, the cell counts 7.2 reads). The Linux models are tested against
 * it, and suites can run any frontend target on the same rows.
 */
import type { Scenario, ScenarioDevice, ScenarioDeviceTree, ScenarioGuest } from '../../../generated/ts/schema/scenario.ts';
import { GUEST_PHANDLE_IOMMU, XEN_GRANT_DMA_IOMMU_CELLS } from '../../../generated/ts/xen/xen-toolstack.ts';
import { PCI_CFG_SPACE_SIZE } from '../../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS } from '../../../generated/ts/pci/pci-type0-header.ts';
import { VirtioDeviceId, VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_MODERN_DEVICE_ID_BASE, VIRTIO_PCI_VENDOR_ID } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { requesterIdOf, XEN_GRANT_DMA_COMPATIBLE } from '../../discovery/device-tree-of.ts';
import { bytesToHex } from '../../discovery/hex-bytes.ts';
import { writeLe } from '../../pci/le-bytes.ts';

/** An outcome in the table's notation: OOPS, N, G(d), or ENODEV (grants wanted, features missing). */
export type TableOutcome = 'OOPS' | 'N' | 'ENODEV' | `G(${number})`;

/** Outcome per column: A = 6.2 .. before patch 1, B = mid-2023 .. 2025, C = after the 2026 dom0 fix, D = 7.2. */
export interface ColumnOutcomes {
  A: TableOutcome;
  B: TableOutcome;
  C: TableOutcome;
  D: TableOutcome;
}

/** One row (or variant of a row) of table 5.9. */
export interface DecisionTableRow {
  /** Row number in the digest, plus a letter for variants. */
  row: string;
  title: string;
  scenario: Scenario;
  expected: ColumnOutcomes;
  /**
   * Why no real system produces the row's platform, when none does; generators never build it, the
   * models still answer it as the code would.
   */
  notProducible?: string;
}

/** A row as the digest writes it: column D (7.2) equals C unless the row says otherwise. */
type DigestRow = Omit<DecisionTableRow, 'expected'> & { expected: Omit<ColumnOutcomes, 'D'> & { D?: TableOutcome } };

/** Feature word of a device that offers VERSION_1 and ACCESS_PLATFORM. */
export const grantReadyFeatures = `0x${(VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM).toString(16)}`;
/** Feature word of a device that offers VERSION_1 only. */
export const noAccessPlatformFeatures = `0x${VirtioFeatures.VERSION_1.toString(16)}`;

const domU = 5;
const backend = 3;
const bdf = { segment: 0, bus: 0, device: 1, function: 0 };
const rid = requesterIdOf(bdf)!;

type GuestShape = Pick<ScenarioGuest, 'domid' | 'initialDomain' | 'type' | 'arch'> & { forceGrant: boolean };

function guest(shape: GuestShape): ScenarioGuest {
  const { forceGrant, ...rest } = shape;
  return { ...rest, kernel: { xenVirtio: true, forceGrant }, bootParameters: [] };
}

function pciDevice(extra: Partial<ScenarioDevice> = {}): ScenarioDevice {
  return { id: 'vdev0', transport: 'pci', bdf, rootBusBridgeHasParent: true, deviceFeatures: grantReadyFeatures, backendControlled: ['configSpace', 'deviceFeatures', 'deviceConfig'], ...extra };
}

function mmioDevice(extra: Partial<ScenarioDevice> = {}): ScenarioDevice {
  return { id: 'vdev0', transport: 'mmio', deviceFeatures: grantReadyFeatures, backendControlled: ['deviceFeatures', 'deviceConfig'], ...extra };
}

const grantDmaNode = { phandle: GUEST_PHANDLE_IOMMU, compatible: [XEN_GRANT_DMA_COMPATIBLE], iommuCells: XEN_GRANT_DMA_IOMMU_CELLS };
const otherIommuPhandle = GUEST_PHANDLE_IOMMU + 1;
const otherIommuNode = { phandle: otherIommuPhandle, compatible: ['arm,smmu-v3'], iommuCells: 1 };

function tree(partial: Partial<ScenarioDeviceTree>): ScenarioDeviceTree {
  return { iommuNodes: [grantDmaNode, otherIommuNode], mmioNodes: [], pciHostBridges: [], ...partial };
}

function scenario(guestShape: GuestShape, device: ScenarioDevice, deviceTree?: ScenarioDeviceTree): Scenario {
  return { guest: guest(guestShape), devices: [device], channels: deviceTree ? { deviceTree } : {} };
}

const x86PvDom0 = { domid: 0, initialDomain: true, type: 'pv', arch: 'x86' } as const;
const x86PvDomU = { domid: domU, initialDomain: false, type: 'pv', arch: 'x86' } as const;
const x86PvhDom0 = { domid: 0, initialDomain: true, type: 'pvh', arch: 'x86' } as const;
const x86HvmDomU = { domid: domU, initialDomain: false, type: 'hvm', arch: 'x86' } as const;
const armDomU = { domid: domU, initialDomain: false, type: 'pvh', arch: 'arm' } as const;
const armDom0 = { domid: 0, initialDomain: true, type: 'pvh', arch: 'arm' } as const;

const acpiRootBus = pciDevice({ rootBusBridgeHasParent: false });
const parentWithoutOfNode = pciDevice({ rootBusBridgeHasParent: true });
const dtPci = pciDevice({ hostBridgeDtNode: 'pcie@10000000' });
const iommuMapTo = (domid: number, phandle = GUEST_PHANDLE_IOMMU) => [{ ridBase: rid, phandle, domidBase: domid, length: 1 }];

function bothFg(row: string, title: string, shape: Omit<GuestShape, 'forceGrant'>, device: ScenarioDevice, expected: DigestRow['expected'], deviceTree?: ScenarioDeviceTree): DigestRow[] {
  return [false, true].map((forceGrant) => ({
    row: `${row}${forceGrant ? '-fg' : '-nofg'}`,
    title: `${title} (FG=${forceGrant ? 'y' : 'n'})`,
    scenario: scenario({ ...shape, forceGrant }, device, deviceTree),
    expected,
  }));
}

/** A grant-dma node declaring `cells` specifier cells (undefined: no #iommu-cells property). */
const grantDmaNodeWithCells = (cells: number | undefined) => ({ phandle: GUEST_PHANDLE_IOMMU, compatible: [XEN_GRANT_DMA_COMPATIBLE], ...(cells !== undefined && { iommuCells: cells }) });
const pcieWith = (iommuMap: { ridBase: number; phandle: number; domidBase: number; length: number }[]) => [{ name: 'pcie@10000000', iommuMap }];
/** A balloon (virtio device 5) as a modern PCI function: its config space names the type. */
const balloonConfig = (() => {
  const config = new Uint8Array(PCI_CFG_SPACE_SIZE);
  writeLe(config, PCI_TYPE0_HEADER_OFFSETS.vendorId, 2, VIRTIO_PCI_VENDOR_ID);
  writeLe(config, PCI_TYPE0_HEADER_OFFSETS.deviceId, 2, VIRTIO_PCI_MODERN_DEVICE_ID_BASE + VirtioDeviceId.BALLOON);
  return bytesToHex(config);
})();

const digestRows: readonly DigestRow[] = [
  ...bothFg('1', 'x86 PV dom0, virtio-pci on ACPI root bus (nested Xen-on-KVM), no DT', x86PvDom0, acpiRootBus, { A: 'OOPS', B: 'G(0)', C: 'N' }),
  ...bothFg('1-noap', 'row 1 with a device that does not offer ACCESS_PLATFORM', x86PvDom0, pciDevice({ rootBusBridgeHasParent: false, deviceFeatures: noAccessPlatformFeatures }), { A: 'OOPS', B: 'ENODEV', C: 'N' }),
  ...bothFg('2', 'x86 PV domU, virtio-pci on a root bus whose bridge has no parent, no DT', x86PvDomU, acpiRootBus, { A: 'OOPS', B: 'G(0)', C: 'G(0)' }).map((row) => ({
    ...row,
    notProducible: 'an x86 PV domU sees PCI only through pcifront, whose root bus is created under the xenbus device, so its bridge always has a parent (row 3a)',
  })),
  ...bothFg('3a', 'x86 PV domU, virtio-pci whose root-bus bridge has a parent without of_node', x86PvDomU, parentWithoutOfNode, { A: 'G(0)', B: 'G(0)', C: 'G(0)' }),
  ...bothFg('3b', 'x86 PV domU, platform (mmio) device without of_node', x86PvDomU, mmioDevice(), { A: 'G(0)', B: 'G(0)', C: 'G(0)' }),
  { row: '4', title: 'x86 PVH dom0, virtio-pci on ACPI root bus, FG=n', scenario: scenario({ ...x86PvhDom0, forceGrant: false }, acpiRootBus), expected: { A: 'N', B: 'N', C: 'N' } },
  { row: '5', title: 'x86 PVH dom0, virtio-pci on ACPI root bus, FG=y', scenario: scenario({ ...x86PvhDom0, forceGrant: true }, acpiRootBus), expected: { A: 'OOPS', B: 'G(0)', C: 'N' } },
  { row: '5-noap', title: 'row 5 with a device that does not offer ACCESS_PLATFORM', scenario: scenario({ ...x86PvhDom0, forceGrant: true }, pciDevice({ rootBusBridgeHasParent: false, deviceFeatures: noAccessPlatformFeatures })), expected: { A: 'OOPS', B: 'ENODEV', C: 'N' } },
  { row: '6', title: 'x86 HVM domU, virtio-pci via ACPI, FG=n', scenario: scenario({ ...x86HvmDomU, forceGrant: false }, acpiRootBus), expected: { A: 'N', B: 'N', C: 'N' } },
  { row: '7', title: 'x86 HVM domU, virtio-pci via ACPI, FG=y', scenario: scenario({ ...x86HvmDomU, forceGrant: true }, acpiRootBus), expected: { A: 'OOPS', B: 'G(0)', C: 'G(0)' } },
  ...bothFg('8', `Arm domU, virtio-mmio node with iommus = <&xen,grant-dma ${backend}>`, armDomU, mmioDevice({ dtNode: 'virtio@2000000' }), { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})` }, tree({ mmioNodes: [{ name: 'virtio@2000000', iommus: [GUEST_PHANDLE_IOMMU, backend] }] })),
  ...bothFg('9', 'Arm domU, virtio-mmio node without iommus (no dom0 fallback when the node exists)', armDomU, mmioDevice({ dtNode: 'virtio@2000000' }), { A: 'N', B: 'N', C: 'N' }, tree({ mmioNodes: [{ name: 'virtio@2000000' }] })),
  ...bothFg('10', `Arm domU, virtio-pci behind DT host bridge, iommu-map RID -> xen,grant-dma ${backend}`, armDomU, dtPci, { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})` }, tree({ pciHostBridges: [{ name: 'pcie@10000000', iommuMap: iommuMapTo(backend) }] })),
  ...bothFg('11a', 'Arm domU, virtio-pci behind DT host bridge without iommu-map', armDomU, dtPci, { A: 'N', B: 'N', C: 'N' }, tree({ pciHostBridges: [{ name: 'pcie@10000000' }] })),
  ...bothFg('11b', 'Arm domU, virtio-pci behind DT host bridge, no matching iommu-map entry', armDomU, dtPci, { A: 'N', B: 'N', C: 'N' }, tree({ pciHostBridges: [{ name: 'pcie@10000000', iommuMap: [{ ridBase: rid + 8, phandle: GUEST_PHANDLE_IOMMU, domidBase: backend, length: 1 }] }] })),
  ...bothFg('11c', 'Arm domU, virtio-pci behind DT host bridge whose iommu-map names another IOMMU', armDomU, dtPci, { A: 'N', B: 'N', C: 'N' }, tree({ pciHostBridges: [{ name: 'pcie@10000000', iommuMap: iommuMapTo(backend, otherIommuPhandle) }] })),
  ...bothFg('12a', 'Arm dom0, device described in the host DT without xen,grant-dma', armDom0, mmioDevice({ dtNode: 'virtio@a000000' }), { A: 'N', B: 'N', C: 'N' }, tree({ mmioNodes: [{ name: 'virtio@a000000' }] })),
  ...bothFg('12b', 'Arm dom0, host DT says xen,grant-dma with D=0 (DT path not guarded by the fix)', armDom0, mmioDevice({ dtNode: 'virtio@a000000' }), { A: 'G(0)', B: 'G(0)', C: 'G(0)' }, tree({ mmioNodes: [{ name: 'virtio@a000000', iommus: [GUEST_PHANDLE_IOMMU, 0] }] })),
  { row: '13a', title: 'Arm (ACPI boot) domU, root bus bridge without parent, FG=y', scenario: scenario({ ...armDomU, forceGrant: true }, acpiRootBus), expected: { A: 'OOPS', B: 'G(0)', C: 'G(0)' } },
  { row: '13b', title: 'Arm (ACPI boot) domU, root bus bridge with parent, FG=y', scenario: scenario({ ...armDomU, forceGrant: true }, parentWithoutOfNode), expected: { A: 'G(0)', B: 'G(0)', C: 'G(0)' } },
  { row: '14a', title: 'Arm (ACPI boot) domU, root bus bridge without parent, FG=n', scenario: scenario({ ...armDomU, forceGrant: false }, acpiRootBus), expected: { A: 'OOPS', B: 'N', C: 'N' } },
  { row: '14b', title: 'Arm (ACPI boot) domU, root bus bridge with parent, FG=n', scenario: scenario({ ...armDomU, forceGrant: false }, parentWithoutOfNode), expected: { A: 'N', B: 'N', C: 'N' } },
  { row: '15a', title: 'Arm (ACPI boot) dom0, root bus bridge without parent, FG=y', scenario: scenario({ ...armDom0, forceGrant: true }, acpiRootBus), expected: { A: 'OOPS', B: 'G(0)', C: 'N' } },
  { row: '15b', title: 'Arm (ACPI boot) dom0, root bus bridge with parent, FG=y', scenario: scenario({ ...armDom0, forceGrant: true }, parentWithoutOfNode), expected: { A: 'G(0)', B: 'G(0)', C: 'N' } },
  // Beyond the digest's table: what the negotiated features and Linux 7.2's of_map_id change.
  {
    row: '10-balloon',
    title: `row 10 with a balloon: virtballoon_validate clears ACCESS_PLATFORM, so the probe fails under grants`,
    scenario: scenario({ ...armDomU, forceGrant: false }, pciDevice({ hostBridgeDtNode: 'pcie@10000000', configSpace: balloonConfig }), tree({ pciHostBridges: pcieWith(iommuMapTo(backend)) })),
    expected: { A: 'ENODEV', B: 'ENODEV', C: 'ENODEV' },
  },
  {
    row: '10-cells2-rfc',
    title: 'row 10 with the RFC length 8 entry pointing at a xen,grant-dma node that says #iommu-cells = <2>',
    scenario: scenario({ ...armDomU, forceGrant: false }, dtPci, { ...tree({ pciHostBridges: pcieWith([{ ridBase: rid, phandle: GUEST_PHANDLE_IOMMU, domidBase: backend, length: 8 }]) }), iommuNodes: [grantDmaNodeWithCells(2)] }),
    expected: { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})`, D: 'N' },
  },
  {
    row: '10-cells2-old',
    title: 'row 10 with length-1 entries pointing at a node that says #iommu-cells = <2> (7.2 still reads them as 1-cell)',
    scenario: scenario({ ...armDomU, forceGrant: false }, dtPci, { ...tree({ pciHostBridges: pcieWith(iommuMapTo(backend)) }), iommuNodes: [grantDmaNodeWithCells(2)] }),
    expected: { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})` },
  },
  {
    row: '10-cells0',
    title: 'row 10 with a xen,grant-dma node that says #iommu-cells = <0>',
    scenario: scenario({ ...armDomU, forceGrant: false }, dtPci, { ...tree({ pciHostBridges: pcieWith(iommuMapTo(backend)) }), iommuNodes: [grantDmaNodeWithCells(0)] }),
    expected: { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})`, D: 'N' },
  },
  {
    row: '10-cells-missing',
    title: 'row 10 with a xen,grant-dma node without #iommu-cells (7.2 assumes one cell)',
    scenario: scenario({ ...armDomU, forceGrant: false }, dtPci, { ...tree({ pciHostBridges: pcieWith(iommuMapTo(backend)) }), iommuNodes: [grantDmaNodeWithCells(undefined)] }),
    expected: { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})` },
  },
  {
    row: '11d',
    title: 'Arm domU, virtio-pci behind DT host bridge whose iommu-map has an earlier, non-matching entry naming a phandle the tree lacks',
    scenario: scenario({ ...armDomU, forceGrant: false }, dtPci, tree({ pciHostBridges: pcieWith([{ ridBase: rid + 8, phandle: 0xdead, domidBase: backend, length: 1 }, ...iommuMapTo(backend)]) })),
    expected: { A: `G(${backend})`, B: `G(${backend})`, C: `G(${backend})`, D: 'N' },
  },
];

/** Every row of table 5.9, with "any FG" rows in both variants, and the rows beyond it; column D filled in. */
export const decisionTableRows: readonly DecisionTableRow[] = digestRows.map((row) => ({ ...row, expected: { ...row.expected, D: row.expected.D ?? row.expected.C } }));
