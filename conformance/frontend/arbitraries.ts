/**
 * Scenario generators of the frontend suite. A platform is a guest configuration run through the
 * reference toolstack (reference-impl/xen), so the trusted channels are what a toolstack publishes;
 * a hostile backend (hostile-backend.ts) is data applied on top: feature bits, config-space bytes,
 * device-config bytes, and every backend-written mechanism of spec/mechanisms.yaml carrying a domid
 * the backend chose. Each property has one case generator; the suite files only wire them.
 */
import { bytesToHex, hexToBytes } from '../../reference-impl/discovery/index.ts';
import fc from 'fast-check';
import type { MapBuffer, MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { Scenario, ScenarioDevice, ScenarioDeviceTree } from '../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { DOMID_FIRST_RESERVED } from '../../generated/ts/xen/xen-domid.ts';
import { GUEST_PHANDLE_IOMMU } from '../../generated/ts/xen/xen-toolstack.ts';
import { XEN_PAGE_SIZE } from '../../generated/ts/xen/xen-grant-dma-addr.ts';
import { minimalVirtioConfigSpace } from '../../reference-impl/discovery/index.ts';
import { grantDmaNode } from '../../reference-impl/discovery/index.ts';
import { appendCapability } from '../../reference-impl/discovery/index.ts';
import { vendorDataCapability } from '../../reference-impl/discovery/index.ts';
import { backendDomidCapability } from '../../reference-impl/discovery/index.ts';
import { XEN_BACKEND_DOMID_CAP_OFFSETS } from '../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { encodeVirtioPciCap, VIRTIO_PCI_CAP_OFFSETS, VIRTIO_PCI_CAP_SIZE, VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_BAR_MAX, VIRTIO_PCI_CAP_ALIGN, VIRTIO_PCI_CAP_MAP_LIMIT } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { PCI_CAP_HEADER_OFFSETS, PCI_CAP_HEADER_SIZE, PCI_CAP_ID_END_OF_LIST, PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAPABILITY_LIST } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../generated/ts/pci/pci-type0-header.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID } from '../../generated/ts/proposals/xen-domid-proposals.ts';
import { readLe, walkCapabilities, writeLe } from '../../reference-impl/pci/index.ts';
import { buildScenario, type BuildScenarioOptions, type ToolstackView, type XlGuestConfig, type XlVirtioDevice } from '../../reference-impl/xen/index.ts';
import { biased, cellEdges, frameEdges, pageOffsetEdges } from './boundaries.ts';
import { applyHostileBackend, backendWrittenMechanisms, hostileBackendArbitrary, hostileDomidArbitrary, PlacementError, type HostileBackend } from './hostile-backend.ts';
import { iommuMapDomid, type DeviceExpectation, type FrontendCase } from './invariants.ts';

/** The guest part of a generated platform. */
export interface GuestShape {
  arch: 'x86' | 'arm';
  x86Type: 'pv' | 'pvh' | 'hvm';
  initialDomain: boolean;
  domU: number;
  forceGrant: boolean;
  xenVirtio: boolean;
}

/** One generated device of a platform. */
export interface DeviceShape {
  mmio: boolean;
  fn: number;
  /** 'self' = the guest's own domid, as a toolstack that mis-assigns (or a dom0 host DT) would. */
  backend: number | 'self';
  grantUsage: boolean | undefined;
}

/** A generated platform: guest and devices, before the toolstack runs. */
export interface PlatformShape {
  guest: GuestShape;
  devices: DeviceShape[];
}

/** Lower-case hex of `bytes`, the scenario's byte encoding (shared with the discovery mechanisms). */
export { bytesToHex, hexToBytes };

export {
  applyHostileBackend,
  backendWrittenMechanisms,
  featuresArbitrary,
  hostileBackendArbitrary,
  hostileDeviceArbitrary,
  hostileDomidArbitrary,
  PlacementError,
  publicationsArbitrary,
  randomConfigSpace,
  seededBytes,
  type HostileBackend,
  type HostileDeviceBytes,
  type HostilePublication,
} from './hostile-backend.ts';

const grantReady = VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM;

/** `backend` offering VERSION_1 and ACCESS_PLATFORM (besides its other bits) and publishing nothing. */
function silentBackend(backend: HostileBackend): HostileBackend {
  return backend.map((device) => ({ ...device, features: device.features | grantReady, publications: [] }));
}

/** `platform` with every device the guest itself would serve served by another domain: dom0 for a domU, the first domU for dom0. */
function withForeignBackends(platform: PlatformShape): PlatformShape {
  const own = guestDomid(platform.guest);
  return { ...platform, devices: platform.devices.map((device) => (device.backend === own || device.backend === 'self' ? { ...device, backend: own === 0 ? 1 : 0 } : device)) };
}

/** The guest: Arm (PVH-like, no PV) or x86 of any type; dom0 or a domU; kernel options. */
export const guestArbitrary: fc.Arbitrary<GuestShape> = fc
  .tuple(
    fc.constantFrom('arm' as const, 'x86' as const),
    fc.constantFrom('pv' as const, 'pvh' as const, 'hvm' as const),
    fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    fc.integer({ min: 1, max: 12 }),
    fc.boolean(),
    fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  )
  .map(([arch, x86Type, initialDomain, domU, forceGrant, xenVirtio]) => ({ arch, x86Type, initialDomain, domU, forceGrant, xenVirtio }));

/** A device: transport, function number, backend (dom0, the guest itself, a domU) and grant_usage. */
export const deviceArbitrary: fc.Arbitrary<DeviceShape> = fc
  .tuple(fc.boolean(), fc.integer({ min: 0, max: 7 }), fc.oneof(fc.constant(0), fc.constant('self' as const), fc.integer({ min: 1, max: 12 })), fc.constantFrom(undefined, true, false))
  .map(([mmio, fn, backend, grantUsage]) => ({ mmio, fn, backend, grantUsage }));

/** A platform with one to three devices. */
export const platformArbitrary: fc.Arbitrary<PlatformShape> = fc.tuple(guestArbitrary, fc.array(deviceArbitrary, { minLength: 1, maxLength: 3 })).map(([guest, devices]) => ({ guest, devices }));

/** The guest domid of a shape. */
export function guestDomid(guest: GuestShape): number {
  return guest.initialDomain ? 0 : guest.domU;
}

/** The xl configuration of a platform. Device i sits in slot i + 1 of bus 0. */
export function guestConfig(platform: PlatformShape): XlGuestConfig {
  const { guest } = platform;
  const domid = guestDomid(guest);
  const virtio: XlVirtioDevice[] = platform.devices.map((device, index) => ({
    id: `vdev${index}`,
    type: 'virtio,device1',
    transport: device.mmio ? 'mmio' : 'pci',
    ...(!device.mmio && { bdf: { segment: 0, bus: 0, device: index + 1, function: device.fn } }),
    backend: device.backend === 'self' ? domid : device.backend,
    ...(device.grantUsage !== undefined && { grantUsage: device.grantUsage }),
  }));
  return {
    domid,
    initialDomain: guest.initialDomain,
    type: guest.arch === 'arm' ? 'pvh' : guest.x86Type,
    arch: guest.arch,
    kernel: { xenVirtio: guest.xenVirtio, forceGrant: guest.xenVirtio && guest.forceGrant },
    virtio,
  };
}

/** A platform after the toolstack: the scenario, the toolstack's view, and per-device expectations. */
export interface BuiltPlatform {
  scenario: Scenario;
  view: ToolstackView;
  expectations: Record<string, DeviceExpectation>;
}

/**
 * Runs the reference toolstack with its default channels: on Arm the device tree (libxl's `iommus` for
 * virtio-mmio; for virtio-pci, which upstream libxl lacks, the `iommu-map` of the unmerged 2023 RFC),
 * nothing on x86. On Arm every device is described by the tree: its `iommus` or `iommu-map` entry
 * when grant_usage holds, none otherwise (no grants).
 */
export function buildPlatform(platform: PlatformShape, options: BuildScenarioOptions = {}): BuiltPlatform {
  const built = buildScenario(guestConfig(platform), options);
  if (!built.ok) throw new Error(`generator produced an unusable configuration: ${JSON.stringify(built.problems)}`);
  const describedByTree = built.scenario.guest.arch === 'arm' && options.publish === undefined;
  const expectations: Record<string, DeviceExpectation> = {};
  for (const device of built.view.devices) {
    expectations[device.id] = {
      assignedDomid: device.backendDomid,
      grantUsage: device.grantUsage,
      ...(describedByTree && { trusted: device.grantUsage ? { kind: 'grants', domid: device.backendDomid } : { kind: 'no-grants' } }),
    };
  }
  return { scenario: built.scenario, view: built.view, expectations };
}

const decodedConfigs = new Map<string, Uint8Array | undefined>();

/**
 * The toolstack's config-space hex decoded, cached: it is the same few headers for every generated
 * device. Callers never write into the result (appendCapability returns a copy).
 */
function decodedConfig(text: string): Uint8Array | undefined {
  if (!decodedConfigs.has(text)) {
    if (decodedConfigs.size > 64) decodedConfigs.clear();
    decodedConfigs.set(text, hexToBytes(text));
  }
  return decodedConfigs.get(text);
}

/** The capability bytes of the two backend-written config-space mechanisms, from the generated proposal layouts. */
const capabilityBytes = {
  'vendor-data-capability': vendorDataCapability,
  'virtio-capability': backendDomidCapability,
} as const;

/** A platform seen with one hostile backend. */
export const platformCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.tuple(platformArbitrary, hostileBackendArbitrary).map(([platform, backend]) => {
  const built = buildPlatform(platform);
  return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
});

/**
 * A trusted-source case that isolates the backend-written channels: a domU on PCI devices that no
 * trusted source describes (grant_usage=0, no FORCE_GRANT), so a conformant frontend decides "no
 * grants" however the backend speaks; the same grant-ready devices are seen silent and then speaking
 * through every backend-written channel at once, all naming one plausible domU (so that a frontend's
 * cross-check of one channel against another finds no contradiction). A frontend that trusts any one
 * channel then grants in the second view. Without these cases the property's power depended
 * on the seed: independent backends expose a frontend trusting the common-config field in under 3% of
 * cases, and 1 seed in 30 let it survive 100.
 */
const isolatedChannelsCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(
    platformArbitrary.map((platform) => ({
      guest: { ...platform.guest, initialDomain: false, forceGrant: false },
      devices: platform.devices.map((device) => ({ ...device, mmio: false, backend: device.backend === 'self' ? 0 : device.backend, grantUsage: false })),
    })),
    hostileBackendArbitrary,
    fc.integer({ min: 1, max: 12 }),
  )
  .map(([platform, backend, domid]) => {
    const built = buildPlatform(platform);
    const silent = silentBackend(backend);
    const speaking = silent.map((device) => ({ ...device, publications: backendWrittenMechanisms.map((mechanism) => ({ mechanism: mechanism.id, domid })) }));
    return { scenario: applyHostileBackend(built, silent), variant: applyHostileBackend(built, speaking), expectations: built.expectations };
  });

/** Trusted source: one platform, two hostile backends; half the time the channels isolated. */
export const trustedSourceCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.oneof(
  fc.tuple(platformArbitrary, hostileBackendArbitrary, hostileBackendArbitrary).map(([platform, first, second]) => {
    const built = buildPlatform(platform);
    return { scenario: applyHostileBackend(built, first), variant: applyHostileBackend(built, second), expectations: built.expectations };
  }),
  isolatedChannelsCaseArbitrary,
);

/**
 * Vendor data: one platform and backend, seen once without and once with a vendor data capability
 * (cfg_type 9, XenSource vendor) naming a domid of the backend's choosing in every PCI function.
 */
export const vendorDataCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.tuple(platformArbitrary, hostileBackendArbitrary, hostileDomidArbitrary).map(([platform, backend, domid]) => {
  const built = buildPlatform(platform);
  const plain = backend.map((bytes) => ({ ...bytes, publications: bytes.publications.filter((publication) => publication.mechanism !== 'vendor-data-capability') }));
  const scenario = applyHostileBackend(built, plain);
  const withVendorData = applyHostileBackend(built, plain.map((bytes) => ({ ...bytes, publications: [...bytes.publications, { mechanism: 'vendor-data-capability' as const, domid }] })));
  return { scenario, variant: withVendorData, expectations: built.expectations };
});

/** Platforms biased towards the initial domain and backends that are the guest itself. */
export const selfGrantCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(
    fc.record({ guest: guestArbitrary.map((guest) => ({ ...guest, initialDomain: true })), devices: fc.array(deviceArbitrary.map((device) => ({ ...device, grantUsage: true })), { minLength: 1, maxLength: 3 }) }),
    hostileBackendArbitrary,
  )
  .map(([platform, backend]) => {
    const built = buildPlatform(platform);
    return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
  });

/**
 * A 32-bit device-tree cell: valid domids, reserved ones, values that need more than 16 bits, and
 * often an edge the constants name (DOMID_FIRST_RESERVED and its neighbours, the top of domid_t,
 * 2^16 + a small or reserved domid, the top of the cell).
 */
export const dtCellArbitrary: fc.Arbitrary<number> = biased(
  fc.oneof(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: DOMID_FIRST_RESERVED, max: 0xffff }),
    fc.integer({ min: 0x1_0000, max: 0x1_000c }),
    fc.integer({ min: 0, max: 0xffff }).map((low) => 0x1_0000 + low),
    fc.integer({ min: 0, max: 0xffff_ffff }),
  ),
  cellEdges,
  2,
);

/** Replaces the cell the device tree gives `device` (mmio `iommus` or its `iommu-map` entry) by `cell`. */
function withDtCell(tree: ScenarioDeviceTree, device: ScenarioDevice, cell: number): ScenarioDeviceTree {
  if (device.transport === 'mmio') {
    return { ...tree, mmioNodes: tree.mmioNodes.map((node) => (node.name === device.dtNode && node.iommus ? { ...node, iommus: [node.iommus[0]!, cell] } : node)) };
  }
  return {
    ...tree,
    pciHostBridges: tree.pciHostBridges.map((bridge) =>
      bridge.name === device.hostBridgeDtNode && bridge.iommuMap ? { ...bridge, iommuMap: bridge.iommuMap.map((entry, index) => (index === 0 ? { ...entry, domidBase: cell } : entry)) } : bridge,
    ),
  };
}

/** An Arm guest whose devices all use grants, named by device-tree cells of any 32-bit value. */
function armGrantPlatform(devices: fc.Arbitrary<DeviceShape[]>): fc.Arbitrary<PlatformShape> {
  return fc.record({
    guest: guestArbitrary.map((guest) => ({ ...guest, arch: 'arm' as const, xenVirtio: true })),
    devices: devices.map((list) => list.map((device) => ({ ...device, grantUsage: true, backend: device.backend === 'self' ? 1 : device.backend }))),
  });
}

/** Valid domid and truncation: each device's tree cell replaced by an arbitrary 32-bit value. */
export const dtCellCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(armGrantPlatform(fc.array(deviceArbitrary, { minLength: 1, maxLength: 3 })), fc.array(dtCellArbitrary, { minLength: 3, maxLength: 3 }), hostileBackendArbitrary)
  .map(([platform, cells, backend]) => {
    const built = buildPlatform(platform);
    let tree = built.scenario.channels.deviceTree!;
    const expectations: Record<string, DeviceExpectation> = {};
    for (const [index, device] of built.scenario.devices.entries()) {
      // Bridges hold one entry per device in device order, so the first entry of a bridge is its first device.
      const bridge = tree.pciHostBridges.find((candidate) => candidate.name === device.hostBridgeDtNode);
      const first = device.transport === 'pci' && bridge?.iommuMap?.[0]?.ridBase !== undefined && built.scenario.devices.findIndex((other) => other.hostBridgeDtNode === device.hostBridgeDtNode) === index;
      const { trusted: _trusted, ...rest } = built.expectations[device.id]!;
      if (device.transport === 'mmio' || first) {
        tree = withDtCell(tree, device, cells[index]!);
        expectations[device.id] = { ...rest, dtCell: cells[index]! };
      } else {
        expectations[device.id] = rest;
      }
    }
    const scenario = applyHostileBackend({ ...built, scenario: { ...built.scenario, channels: { ...built.scenario.channels, deviceTree: tree } } }, backend);
    return { scenario, expectations };
  });

/** Ways a device-tree reference to a xen,grant-dma node can be present but unusable. */
export type TreeDefect = 'dangling-phandle' | 'too-short' | 'cells-zero' | 'cells-two' | 'cells-missing' | 'other-iommu' | 'empty-map' | 'missing-node';

/** Defects of the reference itself (XEN-INV-05). */
export const referenceDefects: readonly TreeDefect[] = ['dangling-phandle', 'too-short', 'other-iommu', 'empty-map', 'missing-node'];
/** Defects of the xen,grant-dma node's cell count, shared by every reference to it (XEN-INV-07). */
export const cellDefects: readonly TreeDefect[] = ['cells-zero', 'cells-two', 'cells-missing'];

/** Phandle of a non-Xen IOMMU node the defects point at. */
const otherIommu = { phandle: 0x77, compatible: ['arm,smmu-v3'], iommuCells: 1 };

/** A broken tree, why, and whom it hurts: the device, every device behind its bridge, or every user of the xen,grant-dma node. */
interface BrokenTree {
  tree: ScenarioDeviceTree;
  reason: string;
  scope: 'device' | 'bridge' | 'node';
}

/** Breaks the tree's reference for `device` in the way `defect` says; undefined when the defect does not apply. */
function breakTree(tree: ScenarioDeviceTree, device: ScenarioDevice, defect: TreeDefect): BrokenTree | undefined {
  const withNodes = { ...tree, iommuNodes: [...tree.iommuNodes.filter((node) => node.phandle !== otherIommu.phandle), otherIommu] };
  const setCells = (cells: number | undefined) => ({ ...withNodes, iommuNodes: withNodes.iommuNodes.map((node) => (node.phandle === GUEST_PHANDLE_IOMMU ? { phandle: node.phandle, compatible: node.compatible, ...(cells !== undefined && { iommuCells: cells }) } : node)) });
  // The node's cell count is wrong whichever transport looks at it; on the PCI path the map keeps its
  // one-cell entries of length 1, the form Linux 7.2 still reads as one cell for a two-cell node.
  const cellReason = (cells: number | undefined) => `xen,grant-dma node has ${cells === undefined ? 'no #iommu-cells' : `#iommu-cells ${cells}`}, the binding says 1`;
  if (device.transport === 'mmio') {
    const node = tree.mmioNodes.find((candidate) => candidate.name === device.dtNode);
    if (!node?.iommus) return undefined;
    const replaceIommus = (iommus: number[]) => ({ ...withNodes, mmioNodes: withNodes.mmioNodes.map((candidate) => (candidate === node ? { ...candidate, iommus } : candidate)) });
    switch (defect) {
      case 'dangling-phandle':
        return { tree: replaceIommus([0xdead, node.iommus[1]!]), reason: 'iommus names a phandle the tree lacks', scope: 'device' };
      case 'too-short':
        return { tree: replaceIommus([node.iommus[0]!]), reason: 'iommus has no specifier cell', scope: 'device' };
      case 'cells-zero':
        return { tree: setCells(0), reason: cellReason(0), scope: 'node' };
      case 'cells-two':
        return { tree: { ...setCells(2), mmioNodes: replaceIommus([node.iommus[0]!, node.iommus[1]!, 0]).mmioNodes }, reason: cellReason(2), scope: 'node' };
      case 'cells-missing':
        return { tree: setCells(undefined), reason: cellReason(undefined), scope: 'node' };
      case 'other-iommu':
        return { tree: replaceIommus([otherIommu.phandle, node.iommus[1]!]), reason: 'iommus points at an IOMMU that is not xen,grant-dma', scope: 'device' };
      case 'empty-map':
      case 'missing-node':
        return { tree: { ...withNodes, mmioNodes: withNodes.mmioNodes.filter((candidate) => candidate !== node) }, reason: 'the device names a DT node the tree lacks', scope: 'device' };
    }
  }
  const bridge = tree.pciHostBridges.find((candidate) => candidate.name === device.hostBridgeDtNode);
  if (!bridge?.iommuMap || bridge.iommuMap.length === 0) return undefined;
  const replaceMap = (iommuMap: NonNullable<typeof bridge.iommuMap>) => ({ ...withNodes, pciHostBridges: withNodes.pciHostBridges.map((candidate) => (candidate === bridge ? { ...candidate, iommuMap } : candidate)) });
  switch (defect) {
    case 'empty-map':
      return { tree: replaceMap([]), reason: 'iommu-map is empty', scope: 'bridge' };
    case 'other-iommu':
      return { tree: replaceMap(bridge.iommuMap.map((entry) => ({ ...entry, phandle: otherIommu.phandle }))), reason: 'iommu-map points at an IOMMU that is not xen,grant-dma', scope: 'bridge' };
    case 'cells-zero':
      return { tree: setCells(0), reason: cellReason(0), scope: 'node' };
    case 'cells-two':
      return { tree: setCells(2), reason: cellReason(2), scope: 'node' };
    case 'cells-missing':
      return { tree: setCells(undefined), reason: cellReason(undefined), scope: 'node' };
    default:
      return { tree: replaceMap(bridge.iommuMap.map((entry) => ({ ...entry, phandle: 0xdead }))), reason: 'iommu-map names a phandle the tree lacks', scope: 'bridge' };
  }
}

/** Devices whose DT reference a broken tree spoils, by its scope. */
function spoiled(broken: BrokenTree, target: ScenarioDevice, device: ScenarioDevice): boolean {
  if (device.id === target.id || broken.scope === 'node') return true;
  return broken.scope === 'bridge' && device.transport === 'pci' && device.hostBridgeDtNode === target.hostBridgeDtNode;
}

/** Malformed device tree: an Arm platform whose devices use grants, with one of `defects` applied to one device's reference. */
export function malformedTreeCases(defects: readonly TreeDefect[]): fc.Arbitrary<FrontendCase> {
  return fc
    .tuple(armGrantPlatform(fc.array(deviceArbitrary, { minLength: 1, maxLength: 3 })), fc.constantFrom(...defects), fc.nat(), hostileBackendArbitrary)
    .map(([platform, defect, pick, backend]) => {
      const built = buildPlatform(platform);
      const target = built.scenario.devices[pick % built.scenario.devices.length]!;
      const broken = breakTree(built.scenario.channels.deviceTree!, target, defect);
      const expectations: Record<string, DeviceExpectation> = {};
      for (const device of built.scenario.devices) {
        const { trusted: _trusted, ...rest } = built.expectations[device.id]!;
        expectations[device.id] = broken && spoiled(broken, target, device) ? { ...rest, malformedTrusted: broken.reason } : rest;
      }
      const tree = broken ? broken.tree : built.scenario.channels.deviceTree!;
      const scenario = applyHostileBackend({ ...built, scenario: { ...built.scenario, channels: { ...built.scenario.channels, deviceTree: tree } } }, backend);
      return { scenario, expectations };
    });
}

/** Malformed device tree, every defect (the fail-closed property draws from it). */
export const malformedTreeCaseArbitrary: fc.Arbitrary<FrontendCase> = malformedTreeCases([...referenceDefects, ...cellDefects]);

/** A reference that is not one valid xen,grant-dma specifier (XEN-INV-05). */
export const malformedReferenceCaseArbitrary: fc.Arbitrary<FrontendCase> = malformedTreeCases(referenceDefects);

/** A xen,grant-dma node whose cell count is not 1, on the MMIO and on the PCI path (XEN-INV-07). */
export const grantDmaCellsCaseArbitrary: fc.Arbitrary<FrontendCase> = malformedTreeCases(cellDefects);

/** Fail closed: a malformed device tree, or a platform whose lookup has no tree to walk (x86 ACPI root buses). */
export const failClosedCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.oneof(malformedTreeCaseArbitrary, platformCaseArbitrary);

/**
 * A buffer to map: anywhere in the frame space, often at its top (the last frames a v1 grant entry
 * can name, so that a multi-page buffer runs past the field), any offset and often the page's first
 * or last byte, up to three pages long and often exactly filling its pages or one byte over. A
 * coherent allocation starts on a page boundary (dma_alloc_coherent hands out whole pages).
 */
export const mapBufferArbitrary: fc.Arbitrary<MapBuffer> = fc
  .tuple(
    biased(fc.integer({ min: 0, max: 0xf_ffff }), frameEdges),
    biased(fc.integer({ min: 0, max: XEN_PAGE_SIZE - 1 }), pageOffsetEdges),
    fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 3 * XEN_PAGE_SIZE }) }, { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -1, max: 1 })) }),
    fc.constantFrom('to-device' as const, 'from-device' as const, 'bidirectional' as const),
    fc.boolean(),
  )
  .map(([frame, offset, size, direction, coherent]) => {
    const start = coherent ? 0 : offset;
    // A [pages, delta] pair is a length that fills `pages` pages from the offset exactly, one byte short or one over.
    const length = typeof size === 'number' ? size : Math.max(1, size[0] * XEN_PAGE_SIZE - start + size[1]);
    return { frame, offset: start, length, direction, coherent };
  });

/**
 * An Arm guest whose device tree describes each device for grants towards a backend that is not the
 * guest, seen with one of `backends`. With a silent backend (VERSION_1 and ACCESS_PLATFORM offered,
 * nothing published that a frontend's cross-check could find contradicting the tree) a conformant
 * frontend drives every device with grants.
 */
function grantedPlatformCases(backends: fc.Arbitrary<HostileBackend>): fc.Arbitrary<FrontendCase> {
  return fc.tuple(armGrantPlatform(fc.array(deviceArbitrary, { minLength: 1, maxLength: 3 })).map(withForeignBackends), backends).map(([platform, backend]) => {
    const built = buildPlatform(platform);
    return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
  });
}

/** What a device of a granted platform withholds of the two features grants need: one, the other, both, or neither. */
const withheldFeatures = fc.constantFrom(VirtioFeatures.VERSION_1, VirtioFeatures.ACCESS_PLATFORM, grantReady, 0n);

/**
 * Platform access (XEN-INV-04, VIRTIO-DRV-14): half the cases any platform and backend; half
 * platforms driven with grants (grantedPlatformCases) whose backend withholds VERSION_1,
 * ACCESS_PLATFORM, both or neither, device by device, so that the feature check alone decides.
 * With any platform alone, a device a trusted channel describes for grants lacked a feature in 5.5%
 * of cases, and 1 seed in 20 let a frontend that skips the check survive 100.
 */
export const platformAccessCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.oneof(
  platformCaseArbitrary,
  grantedPlatformCases(
    fc
      .tuple(hostileBackendArbitrary, fc.array(withheldFeatures, { minLength: 3, maxLength: 3 }))
      .map(([backend, withheld]) => silentBackend(backend).map((device, index) => ({ ...device, features: device.features & ~withheld[index]! }))),
  ),
);

/**
 * Grant scope: a platform and a request for one device; half the platforms are any (the request may
 * meet no grants, a refusal or direct DMA), half are driven with grants, where every rule of grant
 * scope applies. Without them a conformant frontend granted for the requested device in 9% of cases,
 * so that a mutant granting a read-only buffer writable was caught in 2% of cases and one truncating
 * frames past a v1 entry in 2.5% (4 and 3 seeds of 20 let them survive 100).
 */
export const mapCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(fc.oneof(platformCaseArbitrary, grantedPlatformCases(hostileBackendArbitrary.map(silentBackend))), fc.nat(), fc.array(mapBufferArbitrary, { minLength: 1, maxLength: 4 }))
  .map(([testCase, pick, buffers]) => {
    const device = testCase.scenario.devices[pick % testCase.scenario.devices.length]!;
    const request: MapRequest = { deviceId: device.id, buffers };
    return { ...testCase, request };
  });

/** Masks an iommu-map may carry: none, slot only (function bits dropped), bus only. */
const ridMasks = [0xffff_ffff, 0xfff8, 0xff00] as const;

/**
 * RID arithmetic: an Arm domU with several functions of one slot behind a DT host bridge whose
 * iommu-map (with a mask, and entries of length 1, 8 or 256) maps them to domids from 20 up.
 */
export const ridCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .record({
    domid: fc.integer({ min: 1, max: 12 }),
    // The last bus too: its requester ids reach the top of the 16-bit space.
    bus: biased(fc.integer({ min: 0, max: 3 }), [0xff], 4),
    slot: biased(fc.integer({ min: 0, max: 31 }), [0, 31], 4),
    functions: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }),
    mask: fc.constantFrom(...ridMasks),
    entries: fc.array(fc.record({ fn: fc.integer({ min: 0, max: 7 }), length: fc.constantFrom(1, 8, 256), domidBase: fc.integer({ min: 20, max: 200 }) }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ domid, bus, slot, functions, mask, entries }) => {
    const ridOf = (fn: number) => (bus << 8) | (slot << 3) | fn;
    const iommuMap = entries.map((entry) => ({ ridBase: Number(BigInt(ridOf(entry.fn)) & BigInt(mask)), phandle: GUEST_PHANDLE_IOMMU, domidBase: entry.domidBase, length: entry.length }));
    const bridge = { name: 'pcie@10000000', iommuMap, ...(mask !== 0xffff_ffff && { iommuMapMask: mask }) };
    const config = bytesToHex(minimalVirtioConfigSpace(1));
    const devices: ScenarioDevice[] = functions.map((fn) => ({
      id: `fn${fn}`,
      transport: 'pci',
      bdf: { segment: 0, bus, device: slot, function: fn },
      rootBusBridgeHasParent: true,
      hostBridgeDtNode: bridge.name,
      configSpace: config,
      deviceFeatures: `0x${grantReady.toString(16)}`,
      backendControlled: ['configSpace', 'deviceFeatures', 'deviceConfig'],
    }));
    const scenario: Scenario = {
      guest: { domid, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
      devices,
      channels: { deviceTree: { iommuNodes: [grantDmaNode()], mmioNodes: [], pciHostBridges: [bridge] } },
    };
    const expectations: Record<string, DeviceExpectation> = {};
    for (const fn of functions) expectations[`fn${fn}`] = { assignedDomid: 0, grantUsage: true, ridDomid: iommuMapDomid(ridOf(fn), iommuMap, mask) };
    return { scenario, expectations };
  });

/** Feature bits no virtio version defines (above the highest defined bit), from the generated flags. */
export const unknownFeatureBits: readonly bigint[] = (() => {
  const defined = new Set<bigint>(Object.values(VirtioFeatures));
  const highest = Object.values(VirtioFeatures).reduce((top, bit) => (bit > top ? bit : top), 0n);
  const bits: bigint[] = [];
  for (let bit = highest << 1n; bit < 1n << 64n; bit <<= 1n) if (!defined.has(bit)) bits.push(bit);
  return bits;
})();

/** Unknown features: the same platform, the backend additionally offering feature bits no spec defines. */
export const unknownFeaturesCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(platformArbitrary, hostileBackendArbitrary, fc.subarray([...unknownFeatureBits], { minLength: 1 }))
  .map(([platform, backend, extra]) => {
    const built = buildPlatform(platform);
    const scenario = applyHostileBackend(built, backend);
    const added = extra.reduce((sum, bit) => sum | bit, 0n);
    const variant = { ...scenario, devices: scenario.devices.map((device) => ({ ...device, deviceFeatures: `0x${(BigInt(device.deviceFeatures) | added).toString(16)}` })) };
    return { scenario, variant, expectations: built.expectations, change: `offering unknown feature bits 0x${added.toString(16)}` };
  });

/** Something a conformant capability walk skips, never reaches, or reaches the same way. */
export type SkippedCapability =
  | { kind: 'reserved-cfg-type'; cfgType: number; domid: number }
  | { kind: 'reserved-bar'; bar: number; domid: number }
  | { kind: 'duplicate'; mechanism: 'vendor-data-capability' | 'virtio-capability'; first: DuplicateClaim; second: DuplicateClaim }
  | { kind: 'loop' }
  | { kind: 'longer'; mechanism: 'vendor-data-capability' | 'virtio-capability'; domid: number; extra: number }
  | { kind: 'status-clear'; mechanism: 'vendor-data-capability' | 'virtio-capability'; domid: number }
  | { kind: 'pointer-low-bits'; mechanism: 'vendor-data-capability' | 'virtio-capability'; domid: number; bits: number }
  | { kind: 'pointer-into-header'; mechanism: 'vendor-data-capability' | 'virtio-capability'; hidden: number }
  | { kind: 'id-ff'; mechanism: 'vendor-data-capability' | 'virtio-capability'; hidden: number }
  | { kind: 'huge-length'; length: number };

/** The domid one of two duplicates names: any a backend might write, or the backend the toolstack assigned to the function. */
export type DuplicateClaim = number | 'assigned';

/** Mask of a capability pointer's reserved low bits (capabilities are dword aligned). */
const PCI_CAP_ALIGN_MASK = VIRTIO_PCI_CAP_ALIGN - 1;
const reservedCfgTypeArbitrary = fc.integer({ min: XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID + 1, max: 0xff });
const capabilityMechanism = fc.constantFrom('vendor-data-capability' as const, 'virtio-capability' as const);
/** Pointer bits 1:0, which PCI reserves and every walker masks off. */
const pointerLowBits = fc.integer({ min: 1, max: PCI_CAP_ALIGN_MASK });
/**
 * The two domids of duplicates, mostly one of them the assigned backend and the other not: which
 * instance a walk takes is only visible when the two differ in whether they agree with the trusted
 * source. Two independent hostile domids almost never do (0.4% of walk cases revealed a walk taking
 * the last instance, and 11 seeds of 20 let it survive 100 cases).
 */
const duplicateClaims = fc.oneof(
  fc.tuple(fc.constant('assigned' as const), hostileDomidArbitrary),
  fc.tuple(hostileDomidArbitrary, fc.constant('assigned' as const)),
  fc.tuple(hostileDomidArbitrary, hostileDomidArbitrary),
);

/** The variant-only capability change. */
export const skippedCapabilityArbitrary: fc.Arbitrary<SkippedCapability> = fc.oneof(
  fc.record({ kind: fc.constant('reserved-cfg-type' as const), cfgType: reservedCfgTypeArbitrary, domid: hostileDomidArbitrary }),
  fc.record({ kind: fc.constant('reserved-bar' as const), bar: fc.integer({ min: VIRTIO_PCI_BAR_MAX + 1, max: 0xff }), domid: hostileDomidArbitrary }),
  fc.tuple(capabilityMechanism, duplicateClaims).map(([mechanism, [first, second]]) => ({ kind: 'duplicate' as const, mechanism, first, second })),
  fc.constant({ kind: 'loop' as const }),
  // Only the virtio structure capability: the vendor-data proposal fixes its cap_len at 12.
  fc.record({ kind: fc.constant('longer' as const), mechanism: fc.constant('virtio-capability' as const), domid: hostileDomidArbitrary, extra: fc.integer({ min: 1, max: 8 }).map((words) => 4 * words) }),
  fc.record({ kind: fc.constant('status-clear' as const), mechanism: capabilityMechanism, domid: hostileDomidArbitrary }),
  fc.record({ kind: fc.constant('pointer-low-bits' as const), mechanism: capabilityMechanism, domid: hostileDomidArbitrary, bits: pointerLowBits }),
  fc.record({ kind: fc.constant('pointer-into-header' as const), mechanism: capabilityMechanism, hidden: hostileDomidArbitrary }),
  fc.record({ kind: fc.constant('id-ff' as const), mechanism: capabilityMechanism, hidden: hostileDomidArbitrary }),
  // PCI-DRV-11: the structure length in the BAR, as large as the field holds or anything past the 4 KiB a driver maps.
  fc.record({ kind: fc.constant('huge-length' as const), length: biased(fc.integer({ min: VIRTIO_PCI_CAP_MAP_LIMIT + 1, max: 0xffff_ffff }), [0xffff_ffff, VIRTIO_PCI_CAP_MAP_LIMIT + 1], 1) }),
);

/** A capability `extra` bytes longer than its layout, cap_len saying so. */
function longerCapability(capability: Uint8Array, extra: number): Uint8Array {
  const longer = new Uint8Array(capability.length + extra);
  longer.set(capability);
  longer[PCI_CAP_LEN_OFFSET] = capability.length + extra;
  return longer;
}

const PCI_CAP_LEN_OFFSET = VIRTIO_PCI_CAP_OFFSETS.capLen;
const PCI_CAP_NEXT_OFFSET = VIRTIO_PCI_CAP_OFFSETS.capNext;

/** A backend-domid capability (proposal layout) whose byte at `field` is replaced by `value`. */
function proposalCapabilityWith(domid: number, field: 'cfgType' | 'bar', value: number): Uint8Array {
  const bytes = backendDomidCapability(domid);
  bytes[XEN_BACKEND_DOMID_CAP_OFFSETS[field]] = value;
  return bytes;
}

/** A device-specific configuration capability in BAR 0 of `length` bytes: names no backend. */
function deviceConfigCapability(length: number): Uint8Array {
  return encodeVirtioPciCap({ capVndr: PciCapId.VNDR, capNext: 0, capLen: VIRTIO_PCI_CAP_SIZE, cfgType: VirtioPciCfgType.DEVICE_CFG, bar: 0, id: 0, padding: new Uint8Array(2), offset: 0, length });
}

/** Appends or throws: a walk case that lost its capability would test nothing. */
function appendOrThrow(bytes: Uint8Array, capability: Uint8Array): { config: Uint8Array; offset: number } {
  const appended = appendCapability(bytes, capability);
  if (!appended.ok) throw new PlacementError('capability-walk', 'a PCI function', `no room for a ${capability.length}-byte capability (${appended.error.code})`);
  return appended;
}

/** The byte that points at the capability at `offset`: 0x34 for the first, else its predecessor's next. */
function pointerTo(config: Uint8Array, offset: number): number {
  const found = walkCapabilities(config).capabilities;
  const index = found.findIndex((capability) => capability.offset === offset);
  return index <= 0 ? PCI_CAPABILITY_LIST : found[index - 1]!.offset + PCI_CAP_NEXT_OFFSET;
}

/** Applies `change` to a PCI config space of a function assigned to backend `assigned`; returns the scenario-side and variant-side bytes. */
function withSkippedCapability(config: Uint8Array, change: SkippedCapability, assigned: number): { before: Uint8Array; after: Uint8Array; what: string } {
  const append = (bytes: Uint8Array, capability: Uint8Array) => appendOrThrow(bytes, capability).config;
  switch (change.kind) {
    case 'reserved-cfg-type':
      return { before: config, after: append(config, proposalCapabilityWith(change.domid, 'cfgType', change.cfgType)), what: `a capability with reserved cfg_type ${change.cfgType}` };
    case 'reserved-bar':
      return { before: config, after: append(config, proposalCapabilityWith(change.domid, 'bar', change.bar)), what: `a virtio capability with reserved bar ${change.bar}` };
    case 'duplicate': {
      const claim = (domid: DuplicateClaim) => (domid === 'assigned' ? assigned : domid);
      const before = append(config, capabilityBytes[change.mechanism](claim(change.first)));
      return { before, after: append(before, capabilityBytes[change.mechanism](claim(change.second))), what: `a second ${change.mechanism} (domid ${claim(change.second)}) after the first (domid ${claim(change.first)})` };
    }
    case 'longer': {
      const capability = capabilityBytes[change.mechanism](change.domid);
      return { before: append(config, capability), after: append(config, longerCapability(capability, change.extra)), what: `a ${change.mechanism} with cap_len ${change.extra} bytes longer than its layout` };
    }
    case 'loop': {
      const before = append(config, vendorDataCapability(1));
      const found = walkCapabilities(before).capabilities;
      const last = found.at(-1);
      const after = before.slice();
      if (last && found[0]) after[last.offset + PCI_CAP_NEXT_OFFSET] = found[0].offset;
      return { before, after, what: 'a capability list whose last entry points back to its first' };
    }
    case 'status-clear': {
      // Status bit 4 clear: no list, whatever the pointer says (digest §4.3).
      const hide = (bytes: Uint8Array) => {
        const hidden = bytes.slice();
        writeLe(hidden, PCI_TYPE0_HEADER_OFFSETS.status, 2, readLe(hidden, PCI_TYPE0_HEADER_OFFSETS.status, 2) & ~PciStatus.CAP_LIST);
        return hidden;
      };
      const before = hide(config);
      return { before, after: hide(append(before, capabilityBytes[change.mechanism](change.domid))), what: `a ${change.mechanism} listed while the Capabilities List status bit is clear` };
    }
    case 'pointer-low-bits': {
      const placed = appendOrThrow(config, capabilityBytes[change.mechanism](change.domid));
      const after = placed.config.slice();
      after[pointerTo(placed.config, placed.offset)]! |= change.bits;
      return { before: placed.config, after, what: `the pointer to a ${change.mechanism} with its reserved low bits set to ${change.bits}` };
    }
    case 'pointer-into-header':
    case 'id-ff': {
      // Both sides hold the same bytes; only the variant's next pointer, from a device-configuration
      // capability that names no backend, reaches what a walk must not.
      const first = appendOrThrow(config, deviceConfigCapability(VIRTIO_PCI_CAP_ALIGN));
      const hiddenCapability = capabilityBytes[change.mechanism](change.hidden);
      let before: Uint8Array;
      let target: number;
      if (change.kind === 'pointer-into-header') {
        // Below 0x40 lies the header: a walk ends there (digest §4.3); the BARs are the backend's to fill.
        before = first.config.slice();
        before.set(hiddenCapability, PCI_TYPE0_HEADER_OFFSETS.bar0);
        target = PCI_TYPE0_HEADER_OFFSETS.bar0;
      } else {
        // A capability with ID 0xFF ends the walk (absent device); the hidden one hangs behind it.
        const hidden = appendOrThrow(first.config, hiddenCapability);
        const terminator = new Uint8Array(PCI_CAP_HEADER_SIZE);
        terminator[PCI_CAP_HEADER_OFFSETS.capId] = PCI_CAP_ID_END_OF_LIST;
        const ff = appendOrThrow(hidden.config, terminator);
        before = ff.config.slice();
        before[first.offset + PCI_CAP_NEXT_OFFSET] = 0;
        before[ff.offset + PCI_CAP_NEXT_OFFSET] = hidden.offset;
        target = ff.offset;
      }
      const after = before.slice();
      after[first.offset + PCI_CAP_NEXT_OFFSET] = target;
      return { before, after, what: change.kind === 'pointer-into-header' ? `a next pointer into the header (0x${target.toString(16)}), where a ${change.mechanism} is written` : `a capability with ID 0xFF followed by a ${change.mechanism}` };
    }
    case 'huge-length':
      // A device-specific configuration structure: its length may exceed what the driver needs (VS13 §4.1.4).
      return { before: append(config, deviceConfigCapability(VIRTIO_PCI_CAP_ALIGN)), after: append(config, deviceConfigCapability(change.length)), what: `a device-configuration capability whose structure length is 0x${change.length.toString(16)}` };
  }
}

/**
 * Platforms whose PCI functions a frontend drives with grants (Arm, device tree, backends in domUs):
 * where a frontend walks capabilities at all, so most walk cases land there.
 */
const drivenPciPlatform: fc.Arbitrary<PlatformShape> = armGrantPlatform(
  fc.array(deviceArbitrary.map((device) => ({ ...device, mmio: false, backend: typeof device.backend === 'number' && device.backend > 0 ? device.backend : 2 })), { minLength: 1, maxLength: 3 }),
);

/**
 * Walk cases on `platforms` with `backends`: three changes are drawn and each PCI function gets its
 * own (device i the i-th), so that one case tries up to three kinds; `change` names each function's.
 */
function walkCases(platforms: fc.Arbitrary<PlatformShape>, backends: fc.Arbitrary<HostileBackend>): fc.Arbitrary<FrontendCase> {
  return fc.tuple(platforms, backends, fc.array(skippedCapabilityArbitrary, { minLength: 3, maxLength: 3 })).map(([platform, backend, changes]) => {
    const built = buildPlatform(platform);
    const base = applyHostileBackend(built, backend.map((bytes) => ({ ...bytes, randomConfig: undefined })));
    const what: string[] = [];
    const pairs = base.devices.map((device, index) => {
      const config = device.transport === 'pci' && device.configSpace !== undefined ? decodedConfig(device.configSpace) : undefined;
      if (!config) return [device, device] as const;
      const changed = withSkippedCapability(config, changes[index % changes.length]!, built.expectations[device.id]!.assignedDomid);
      what.push(`${device.id}: ${changed.what}`);
      return [{ ...device, configSpace: bytesToHex(changed.before) }, { ...device, configSpace: bytesToHex(changed.after) }] as const;
    });
    return {
      scenario: { ...base, devices: pairs.map(([before]) => before) },
      variant: { ...base, devices: pairs.map(([, after]) => after) },
      expectations: built.expectations,
      change: what.length > 0 ? what.join('; ') : 'nothing (no PCI function)',
    };
  });
}

/**
 * PCI functions the walk alone decides on: driven with grants towards a backend that is not the
 * guest, by a backend that offers VERSION_1 and ACCESS_PLATFORM and publishes nothing, so that a
 * conformant frontend grants on both sides and any capability a walk wrongly takes (or a structure
 * length it wrongly refuses) changes the decision. In the other cases a function is mostly refused
 * on both sides before its walk matters (its own backend-domid capability contradicting the tree, a
 * self grant, missing features): each kind of change revealed a walk breaking its rule in about 3%
 * of cases, and 1 to 3 seeds of 20 let a walk mutant survive 100.
 */
const walkDecidedPlatform: fc.Arbitrary<PlatformShape> = drivenPciPlatform.map(withForeignBackends);

/**
 * Capability walk (XEN-INV-10, PCI-DRV-07 to PCI-DRV-11): the same platform and backend, the
 * variant's PCI functions carrying a capability the walk must skip (reserved cfg_type, reserved bar),
 * a later duplicate of a capability (the first one counts), a capability longer than its layout, a
 * list looping back (the walk bound), a list behind a clear Capabilities List status bit, a pointer
 * with its reserved low bits set, a next pointer below 0x40, an entry with ID 0xFF before another
 * capability, or a structure `length` far past what a driver maps. Half the cases are any platform
 * (two in three of them with PCI functions driven with grants) and any backend; half are functions
 * the walk alone decides on (walkDecidedPlatform, silent backend).
 */
export const capabilityWalkCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.oneof(
  walkCases(fc.oneof({ weight: 1, arbitrary: platformArbitrary }, { weight: 2, arbitrary: drivenPciPlatform }), hostileBackendArbitrary),
  walkCases(walkDecidedPlatform, hostileBackendArbitrary.map(silentBackend)),
);
