/**
 * Scenario generators of the frontend suite. A platform is a guest configuration run through the
 * reference toolstack (reference-impl/xen), so the trusted channels are what a toolstack publishes;
 * a hostile backend is data — feature bits, config-space bytes, device-config bytes — applied on top,
 * including the layouts of every backend-written mechanism carrying a domid the backend chose. Each
 * property has one case generator; the suite files only wire them.
 */
import { bytesToHex } from '../../reference-impl/discovery/index.ts';
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
import { encodeXenBackendDomidDevCfg } from '../../generated/ts/proposals/xen-backend-domid-dev-cfg.ts';
import { XEN_BACKEND_DOMID_CAP_OFFSETS } from '../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { VIRTIO_PCI_CAP_OFFSETS } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID } from '../../generated/ts/proposals/xen-domid-proposals.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import { buildScenario, type BuildScenarioOptions, type ToolstackView, type XlGuestConfig, type XlVirtioDevice } from '../../reference-impl/xen/index.ts';
import { biased, frameEdges, pageOffsetEdges } from './boundaries.ts';
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
export { bytesToHex };

/**
 * `length` arbitrary bytes from a 32-bit seed (xorshift32), so that a whole config space costs one
 * generated value instead of 256; shrinking then works on the seed.
 */
export function seededBytes(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed | 0 || 0x9e3779b9;
  for (let index = 0; index < length; index += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    for (let lane = 0; lane < 4 && index + lane < length; lane++) bytes[index + lane] = (state >>> (lane * 8)) & 0xff;
  }
  return bytes;
}

/** What a hostile backend puts into one device's backend-controlled fields. */
export interface HostileDeviceBytes {
  features: bigint;
  /** Arbitrary config-space bytes replacing the toolstack's header (PCI only). */
  randomConfig?: Uint8Array;
  /** Backend-written mechanisms published into config space with the backend's domid. */
  capabilities: { mechanism: 'vendor-data-capability' | 'virtio-capability'; domid: number }[];
  deviceConfig: Uint8Array;
  /** The device-register mechanism published at the end of the device config with this domid. */
  register?: number;
}

/** A hostile backend: bytes per device (cycled when there are more devices). */
export type HostileBackend = HostileDeviceBytes[];

const grantReady = VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM;

/** A domid a backend might write: dom0, small domUs, reserved ids, anything 16-bit. */
export const hostileDomidArbitrary: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: DOMID_FIRST_RESERVED, max: 0x7fff }),
  fc.integer({ min: 0, max: 0xffff }),
);

/** Feature words: mostly grant-ready (with extra bits), sometimes anything, sometimes one of the two missing. */
export const featuresArbitrary: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 5, arbitrary: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((low) => grantReady | low) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(VirtioFeatures.VERSION_1, VirtioFeatures.ACCESS_PLATFORM, 0n) },
);

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
 * Runs the reference toolstack on a platform with upstream's channels (the device tree on Arm,
 * nothing on x86). On Arm every device is described by the tree: its `iommus` or `iommu-map` entry
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

/** Bytes of one hostile device. */
export const hostileDeviceArbitrary: fc.Arbitrary<HostileDeviceBytes> = fc
  .tuple(
    featuresArbitrary,
    fc.option(fc.integer(), { freq: 6, nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('vendor-data-capability' as const, 'virtio-capability' as const), hostileDomidArbitrary), { maxLength: 2 }),
    fc.uint8Array({ maxLength: 12 }),
    fc.option(hostileDomidArbitrary, { nil: undefined }),
  )
  .map(([features, configSeed, capabilities, deviceConfig, register]) => ({
    features,
    ...(configSeed !== undefined && { randomConfig: seededBytes(configSeed, 256) }),
    capabilities: capabilities.map(([mechanism, domid]) => ({ mechanism, domid })),
    deviceConfig,
    ...(register !== undefined && { register }),
  }));

/** A hostile backend for up to three devices. */
export const hostileBackendArbitrary: fc.Arbitrary<HostileBackend> = fc.array(hostileDeviceArbitrary, { minLength: 1, maxLength: 3 });

/** Bytes of the scenario's hex encoding; undefined when it is not one. */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    const high = hexValue(text.charCodeAt(2 * index));
    const low = hexValue(text.charCodeAt(2 * index + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[index] = (high << 4) | low;
  }
  return bytes;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
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

/** The capability a backend-written config-space mechanism publishes, from the generated proposal layouts. */
const capabilityBytes = {
  'vendor-data-capability': vendorDataCapability,
  'virtio-capability': backendDomidCapability,
} as const;

/** A device with one hostile device's bytes, the mechanisms published the way their publishers do. */
function hostileDevice(target: ScenarioDevice, bytes: HostileDeviceBytes): ScenarioDevice {
  const changed: ScenarioDevice = { ...target, deviceFeatures: `0x${bytes.features.toString(16)}` };
  let deviceConfig = bytes.deviceConfig;
  if (bytes.register !== undefined) {
    // device-register: the register goes after whatever device config the backend presents.
    const register = encodeXenBackendDomidDevCfg({ backendDomid: bytes.register, valid: true, flagsReserved: 0 });
    const joined = new Uint8Array(deviceConfig.length + register.length);
    joined.set(deviceConfig);
    joined.set(register, deviceConfig.length);
    deviceConfig = joined;
  }
  changed.deviceConfig = bytesToHex(deviceConfig);
  if (target.transport !== 'pci' || target.configSpace === undefined) return changed;
  if (!bytes.randomConfig && bytes.capabilities.length === 0) return changed;
  if (bytes.randomConfig) {
    changed.configSpace = bytesToHex(withCapabilities(bytes.randomConfig, bytes.capabilities));
    return changed;
  }
  // The toolstack's header with the same capabilities recurs across cases: keep the hex of each result.
  const key = bytes.capabilities.map((capability) => `${capability.mechanism}:${capability.domid}`).join(',');
  let byCapabilities = publishedConfigs.get(target.configSpace);
  if (!byCapabilities) {
    if (publishedConfigs.size > 64) publishedConfigs.clear();
    byCapabilities = new Map();
    publishedConfigs.set(target.configSpace, byCapabilities);
  }
  let hex = byCapabilities.get(key);
  if (hex === undefined) {
    const config = decodedConfig(target.configSpace);
    if (!config) return changed;
    hex = bytesToHex(withCapabilities(config, bytes.capabilities));
    if (byCapabilities.size > 4096) byCapabilities.clear();
    byCapabilities.set(key, hex);
  }
  changed.configSpace = hex;
  return changed;
}

/** Config-space hex after publishing capabilities, by base config hex and capability list. */
const publishedConfigs = new Map<string, Map<string, string>>();

/** `config` with the capabilities appended to the legacy list as their publishers do; no room leaves the bytes alone. */
function withCapabilities(config: Uint8Array, capabilities: HostileDeviceBytes['capabilities']): Uint8Array {
  let result = config;
  for (const capability of capabilities) {
    const appended = appendCapability(result, capabilityBytes[capability.mechanism](capability.domid));
    if (appended.ok) result = appended.config;
  }
  return result;
}

/**
 * Puts a hostile backend's bytes into a built platform: only `deviceFeatures`, `configSpace` and
 * `deviceConfig` change (the fields the scenario marks backend-controlled); channels stay as the
 * toolstack wrote them.
 */
export function applyHostileBackend(built: BuiltPlatform, backend: HostileBackend): Scenario {
  return { ...built.scenario, devices: built.scenario.devices.map((device, index) => hostileDevice(device, backend[index % backend.length]!)) };
}

/** A platform seen with one hostile backend. */
export const platformCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.tuple(platformArbitrary, hostileBackendArbitrary).map(([platform, backend]) => {
  const built = buildPlatform(platform);
  return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
});

/** Trusted source: one platform, two hostile backends. */
export const trustedSourceCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.tuple(platformArbitrary, hostileBackendArbitrary, hostileBackendArbitrary).map(([platform, first, second]) => {
  const built = buildPlatform(platform);
  return { scenario: applyHostileBackend(built, first), variant: applyHostileBackend(built, second), expectations: built.expectations };
});

/**
 * Vendor data: one platform and backend, seen once without and once with a vendor data capability
 * (cfg_type 9, XenSource vendor) naming a domid of the backend's choosing in every PCI function.
 */
export const vendorDataCaseArbitrary: fc.Arbitrary<FrontendCase> = fc.tuple(platformArbitrary, hostileBackendArbitrary, hostileDomidArbitrary).map(([platform, backend, domid]) => {
  const built = buildPlatform(platform);
  const plain = backend.map((bytes) => ({ ...bytes, capabilities: [] }));
  const scenario = applyHostileBackend(built, plain);
  const withVendorData = applyHostileBackend(built, plain.map((bytes) => ({ ...bytes, capabilities: [{ mechanism: 'vendor-data-capability' as const, domid }] })));
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

/** A 32-bit device-tree cell: valid domids, reserved ones, and values that need more than 16 bits. */
export const dtCellArbitrary: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: DOMID_FIRST_RESERVED, max: 0xffff }),
  fc.integer({ min: 0x1_0000, max: 0x1_000c }),
  fc.integer({ min: 0, max: 0xffff }).map((low) => 0x1_0000 + low),
  fc.integer({ min: 0, max: 0xffff_ffff }),
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

/** Phandle of a non-Xen IOMMU node the defects point at. */
const otherIommu = { phandle: 0x77, compatible: ['arm,smmu-v3'], iommuCells: 1 };

/** Breaks the tree's reference for `device` in the way `defect` says; returns the reason, or undefined when the defect does not apply. */
function breakTree(tree: ScenarioDeviceTree, device: ScenarioDevice, defect: TreeDefect): { tree: ScenarioDeviceTree; device: ScenarioDevice; reason: string; shared?: boolean } | undefined {
  const withNodes = { ...tree, iommuNodes: [...tree.iommuNodes.filter((node) => node.phandle !== otherIommu.phandle), otherIommu] };
  const setCells = (cells: number | undefined) => ({ ...withNodes, iommuNodes: withNodes.iommuNodes.map((node) => (node.phandle === GUEST_PHANDLE_IOMMU ? { phandle: node.phandle, compatible: node.compatible, ...(cells !== undefined && { iommuCells: cells }) } : node)) });
  if (device.transport === 'mmio') {
    const node = tree.mmioNodes.find((candidate) => candidate.name === device.dtNode);
    if (!node?.iommus) return undefined;
    const replaceIommus = (iommus: number[]) => ({ ...withNodes, mmioNodes: withNodes.mmioNodes.map((candidate) => (candidate === node ? { ...candidate, iommus } : candidate)) });
    switch (defect) {
      case 'dangling-phandle':
        return { tree: replaceIommus([0xdead, node.iommus[1]!]), device, reason: 'iommus names a phandle the tree lacks' };
      case 'too-short':
        return { tree: replaceIommus([node.iommus[0]!]), device, reason: 'iommus has no specifier cell' };
      case 'cells-zero':
        return { tree: setCells(0), device, reason: 'xen,grant-dma node has #iommu-cells 0', shared: true };
      case 'cells-two':
        return { tree: { ...setCells(2), mmioNodes: replaceIommus([node.iommus[0]!, node.iommus[1]!, 0]).mmioNodes }, device, reason: 'xen,grant-dma node has #iommu-cells 2', shared: true };
      case 'cells-missing':
        return { tree: setCells(undefined), device, reason: 'xen,grant-dma node has no #iommu-cells', shared: true };
      case 'other-iommu':
        return { tree: replaceIommus([otherIommu.phandle, node.iommus[1]!]), device, reason: 'iommus points at an IOMMU that is not xen,grant-dma' };
      case 'empty-map':
      case 'missing-node':
        return { tree: { ...withNodes, mmioNodes: withNodes.mmioNodes.filter((candidate) => candidate !== node) }, device, reason: 'the device names a DT node the tree lacks' };
    }
  }
  const bridge = tree.pciHostBridges.find((candidate) => candidate.name === device.hostBridgeDtNode);
  if (!bridge?.iommuMap || bridge.iommuMap.length === 0) return undefined;
  const replaceMap = (iommuMap: NonNullable<typeof bridge.iommuMap>) => ({ ...withNodes, pciHostBridges: withNodes.pciHostBridges.map((candidate) => (candidate === bridge ? { ...candidate, iommuMap } : candidate)) });
  switch (defect) {
    case 'empty-map':
      return { tree: replaceMap([]), device, reason: 'iommu-map is empty', shared: true };
    case 'other-iommu':
      return { tree: replaceMap(bridge.iommuMap.map((entry) => ({ ...entry, phandle: otherIommu.phandle }))), device, reason: 'iommu-map points at an IOMMU that is not xen,grant-dma', shared: true };
    default:
      return { tree: replaceMap(bridge.iommuMap.map((entry) => ({ ...entry, phandle: 0xdead }))), device, reason: 'iommu-map names a phandle the tree lacks', shared: true };
  }
}

/** Malformed device tree: an Arm platform whose devices use grants, with one defect applied to one device's reference. */
export const malformedTreeCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(
    armGrantPlatform(fc.array(deviceArbitrary, { minLength: 1, maxLength: 3 })),
    fc.constantFrom<TreeDefect>('dangling-phandle', 'too-short', 'cells-zero', 'cells-two', 'cells-missing', 'other-iommu', 'empty-map', 'missing-node'),
    fc.nat(),
    hostileBackendArbitrary,
  )
  .map(([platform, defect, pick, backend]) => {
    const built = buildPlatform(platform);
    const target = built.scenario.devices[pick % built.scenario.devices.length]!;
    const broken = breakTree(built.scenario.channels.deviceTree!, target, defect);
    const expectations: Record<string, DeviceExpectation> = {};
    for (const device of built.scenario.devices) {
      const { trusted: _trusted, ...rest } = built.expectations[device.id]!;
      // A shared defect (the xen,grant-dma node, or a bridge's whole map) breaks every device that uses it.
      const affected = broken && (device.id === target.id || (broken.shared && device.transport === target.transport && (device.transport === 'mmio' || device.hostBridgeDtNode === target.hostBridgeDtNode)));
      expectations[device.id] = affected ? { ...rest, malformedTrusted: broken.reason } : rest;
    }
    const tree = broken ? broken.tree : built.scenario.channels.deviceTree!;
    const scenario = applyHostileBackend({ ...built, scenario: { ...built.scenario, channels: { ...built.scenario.channels, deviceTree: tree } } }, backend);
    return { scenario, expectations };
  });

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

/** Grant scope: a platform whose devices mostly use grants, and a request for one device. */
export const mapCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(platformCaseArbitrary, fc.nat(), fc.array(mapBufferArbitrary, { minLength: 1, maxLength: 4 }))
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
    bus: fc.integer({ min: 0, max: 3 }),
    slot: fc.integer({ min: 0, max: 31 }),
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

/** Something a conformant capability walk skips or never reaches twice. */
export type SkippedCapability =
  | { kind: 'reserved-cfg-type'; cfgType: number; domid: number }
  | { kind: 'reserved-bar'; bar: number; domid: number }
  | { kind: 'duplicate'; mechanism: 'vendor-data-capability' | 'virtio-capability'; first: number; second: number }
  | { kind: 'loop' }
  | { kind: 'longer'; mechanism: 'vendor-data-capability' | 'virtio-capability'; domid: number; extra: number };

const reservedCfgTypeArbitrary = fc.integer({ min: XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID + 1, max: 0xff });

/** The variant-only capability change. */
export const skippedCapabilityArbitrary: fc.Arbitrary<SkippedCapability> = fc.oneof(
  fc.record({ kind: fc.constant('reserved-cfg-type' as const), cfgType: reservedCfgTypeArbitrary, domid: hostileDomidArbitrary }),
  fc.record({ kind: fc.constant('reserved-bar' as const), bar: fc.integer({ min: 6, max: 0xff }), domid: hostileDomidArbitrary }),
  fc.record({ kind: fc.constant('duplicate' as const), mechanism: fc.constantFrom('vendor-data-capability' as const, 'virtio-capability' as const), first: hostileDomidArbitrary, second: hostileDomidArbitrary }),
  fc.constant({ kind: 'loop' as const }),
  // Only the virtio structure capability: the vendor-data proposal fixes its cap_len at 12.
  fc.record({ kind: fc.constant('longer' as const), mechanism: fc.constant('virtio-capability' as const), domid: hostileDomidArbitrary, extra: fc.integer({ min: 1, max: 8 }).map((words) => 4 * words) }),
);

/** A capability `extra` bytes longer than its layout, cap_len saying so. */
function longerCapability(capability: Uint8Array, extra: number): Uint8Array {
  const longer = new Uint8Array(capability.length + extra);
  longer.set(capability);
  longer[PCI_CAP_LEN_OFFSET] = capability.length + extra;
  return longer;
}

const PCI_CAP_LEN_OFFSET = VIRTIO_PCI_CAP_OFFSETS.capLen;

/** A backend-domid capability (proposal layout) whose byte at `field` is replaced by `value`. */
function proposalCapabilityWith(domid: number, field: 'cfgType' | 'bar', value: number): Uint8Array {
  const bytes = backendDomidCapability(domid);
  bytes[XEN_BACKEND_DOMID_CAP_OFFSETS[field]] = value;
  return bytes;
}

/** Applies `change` to a PCI config space; returns the scenario-side and variant-side bytes. */
function withSkippedCapability(config: Uint8Array, change: SkippedCapability): { before: Uint8Array; after: Uint8Array; what: string } {
  const append = (bytes: Uint8Array, capability: Uint8Array) => {
    const appended = appendCapability(bytes, capability);
    return appended.ok ? appended.config : bytes;
  };
  switch (change.kind) {
    case 'reserved-cfg-type':
      return { before: config, after: append(config, proposalCapabilityWith(change.domid, 'cfgType', change.cfgType)), what: `a capability with reserved cfg_type ${change.cfgType}` };
    case 'reserved-bar':
      return { before: config, after: append(config, proposalCapabilityWith(change.domid, 'bar', change.bar)), what: `a virtio capability with reserved bar ${change.bar}` };
    case 'duplicate': {
      const before = append(config, capabilityBytes[change.mechanism](change.first));
      return { before, after: append(before, capabilityBytes[change.mechanism](change.second)), what: `a second ${change.mechanism} after the first` };
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
      if (last && found[0]) after[last.offset + 1] = found[0].offset;
      return { before, after, what: 'a capability list whose last entry points back to its first' };
    }
  }
}

/**
 * Capability walk (XEN-INV-10, PCI-DRV-07 to PCI-DRV-11): the same platform and backend, the
 * variant's PCI functions carrying a capability the walk must skip (reserved cfg_type, reserved bar),
 * a later duplicate of a capability (the first one counts), a capability longer than its layout, or a
 * list looping back.
 */
export const capabilityWalkCaseArbitrary: fc.Arbitrary<FrontendCase> = fc
  .tuple(platformArbitrary, hostileBackendArbitrary, skippedCapabilityArbitrary)
  .map(([platform, backend, change]) => {
    const built = buildPlatform(platform);
    const base = applyHostileBackend(built, backend.map((bytes) => ({ ...bytes, randomConfig: undefined })));
    let what = '';
    const pairs = base.devices.map((device) => {
      const config = device.transport === 'pci' && device.configSpace !== undefined ? decodedConfig(device.configSpace) : undefined;
      if (!config) return [device, device] as const;
      const changed = withSkippedCapability(config, change);
      what = changed.what;
      return [{ ...device, configSpace: bytesToHex(changed.before) }, { ...device, configSpace: bytesToHex(changed.after) }] as const;
    });
    return {
      scenario: { ...base, devices: pairs.map(([before]) => before) },
      variant: { ...base, devices: pairs.map(([, after]) => after) },
      expectations: built.expectations,
      change: what || 'nothing (no PCI function)',
    };
  });
