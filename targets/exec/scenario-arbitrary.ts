/**
 * Scenarios for differential tests of adapters against the built-in frontends: small pools of names,
 * phandles and requester ids so that device-tree references resolve often, plus the corners the
 * decision table turns on (dom0, PV, FORCE_GRANT, parent-less root buses, 32-bit cells above the
 * domid range, malformed `iommus`/`iommu-map`, missing feature bits). Every value is valid against
 * scenario.schema.json (checked by this module's test).
 */
import fc from 'fast-check';
import type {
  Scenario,
  ScenarioBdf,
  ScenarioChannels,
  ScenarioDevice,
  ScenarioDeviceTree,
  ScenarioGuest,
  ScenarioIommuMapEntry,
  ScenarioIommuNode,
  ScenarioMmioNode,
  ScenarioPciHostBridge,
} from '../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';

const mmioNames = ['virtio@2000000', 'virtio@2000200', 'virtio@2000400'];
const bridgeNames = ['pcie@10000000', 'pcie@20000000'];
const phandles = [0, 1, 65001, 65002];

/** Domids an adversary would pick: ordinary, the guest's own, dom0, reserved, and 32-bit cells that truncate. */
const interestingCell = fc.oneof(
  fc.constantFrom(0, 1, 2, 5, 0x7fef, 0x7ff0, 0x7ff4, 0x7fff, 0xffff, 0x10000, 0x10005, 0xffffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
);

const guestArbitrary: fc.Arbitrary<ScenarioGuest> = fc
  .record({
    domid: fc.constantFrom(0, 1, 2, 5, 7),
    initialDomain: fc.boolean(),
    arch: fc.constantFrom('x86' as const, 'arm' as const),
    pvType: fc.constantFrom('pv' as const, 'pvh' as const, 'hvm' as const),
    armType: fc.constantFrom('pvh' as const, 'hvm' as const),
    xenVirtio: fc.constantFrom(true, true, true, false),
    forceGrant: fc.boolean(),
    bootParameters: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string[]>(['quiet']) },
      { weight: 1, arbitrary: fc.subarray(['xen_virtio.backend_domid=5', 'quiet', 'xen_virtio.backend_domid=0', 'xen_virtio.backend_domid=junk', 'xen_virtio.backend_domid=7']) },
    ),
  })
  .map(({ domid, initialDomain, arch, pvType, armType, xenVirtio, forceGrant, bootParameters }) => ({
    domid,
    initialDomain,
    type: arch === 'arm' ? armType : pvType,
    arch,
    kernel: { xenVirtio, forceGrant: xenVirtio && forceGrant },
    bootParameters,
  }));

const featuresArbitrary = fc
  .record({ version1: fc.constantFrom(true, true, true, false), accessPlatform: fc.constantFrom(true, true, true, false), other: fc.bigInt({ min: 0n, max: 0xffffffffn }) })
  .map(({ version1, accessPlatform, other }) => {
    let features = other;
    if (version1) features |= VirtioFeatures.VERSION_1;
    if (accessPlatform) features |= VirtioFeatures.ACCESS_PLATFORM;
    return `0x${features.toString(16)}`;
  });

const bdfArbitrary: fc.Arbitrary<ScenarioBdf> = fc.record({
  segment: fc.constant(0),
  bus: fc.constantFrom(0, 1),
  device: fc.integer({ min: 0, max: 3 }),
  function: fc.integer({ min: 0, max: 1 }),
});

const pciDevice = fc.record(
  {
    transport: fc.constant('pci' as const),
    bdf: bdfArbitrary,
    rootBusBridgeHasParent: fc.constantFrom(true, true, false),
    hostBridgeDtNode: fc.constantFrom(...bridgeNames, ...bridgeNames, 'pcie@missing'),
    deviceFeatures: featuresArbitrary,
  },
  { requiredKeys: ['transport', 'bdf', 'rootBusBridgeHasParent', 'deviceFeatures'] },
);

const mmioDevice = fc.record(
  { transport: fc.constant('mmio' as const), dtNode: fc.constantFrom(...mmioNames, ...mmioNames, 'virtio@missing'), deviceFeatures: featuresArbitrary },
  { requiredKeys: ['transport', 'deviceFeatures'] },
);

const devicesArbitrary: fc.Arbitrary<ScenarioDevice[]> = fc
  .array(fc.oneof(pciDevice, mmioDevice), { minLength: 0, maxLength: 4 })
  .map((devices) => devices.map((device, index) => ({ id: `dev${index}`, ...device, backendControlled: ['configSpace', 'deviceFeatures'] }) as ScenarioDevice));

/** Present with probability `weight` in 4 (absent members are left out, not set to undefined). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight, arbitrary }, { weight: 4 - weight, arbitrary: fc.constant(undefined) });

const GRANT_DMA_PHANDLE = 65001;

/** The node libxl writes, usually present, plus now and then a foreign or broken IOMMU node. */
const iommuNodesArbitrary: fc.Arbitrary<ScenarioIommuNode[]> = fc
  .record({
    others: fc.array(
      fc.record(
        {
          phandle: fc.constantFrom(...phandles.filter((phandle) => phandle !== 0)),
          compatible: fc.constantFrom<string[]>(['xen,grant-dma'], ['arm,smmu-v3'], [], ['vendor,iommu', 'xen,grant-dma']),
          iommuCells: fc.constantFrom(0, 1, 1, 2),
        },
        { requiredKeys: ['phandle', 'compatible'] },
      ),
      { maxLength: 2 },
    ),
    keepGrantDma: fc.constantFrom(true, true, true, false),
  })
  .map(({ others, keepGrantDma }) => [
    ...(keepGrantDma ? [{ phandle: GRANT_DMA_PHANDLE, compatible: ['xen,grant-dma'], iommuCells: 1 }] : []),
    ...others,
  ]);

/** `iommus` cells: usually `<&xen_grant_dma DOMID>`, sometimes anything. */
const iommusArbitrary = fc.oneof(
  { weight: 3, arbitrary: interestingCell.map((cell) => [GRANT_DMA_PHANDLE, cell]) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...phandles), interestingCell), { maxLength: 3 }) },
);

const iommuMapEntryArbitrary = fc.record({
  ridBase: fc.constantFrom(0, 0x8, 0x10, 0x100, 0x108),
  phandle: fc.constantFrom(GRANT_DMA_PHANDLE, GRANT_DMA_PHANDLE, GRANT_DMA_PHANDLE, ...phandles),
  domidBase: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(1, 2, 5, 7) }, { weight: 1, arbitrary: interestingCell }),
  length: fc.constantFrom(1, 1, 1, 8, 8, 8, 0x100, 0, 0x10000, 0xffffffff),
});

const deviceTreeArbitrary: fc.Arbitrary<ScenarioDeviceTree> = fc.record({
  iommuNodes: iommuNodesArbitrary,
  // Every pool name has a node, so references resolve; the devices' 'missing' names do not.
  mmioNodes: fc.tuple(...mmioNames.map((name) => sometimes(iommusArbitrary, 3).map((iommus): ScenarioMmioNode => (iommus ? { name, iommus } : { name })))),
  pciHostBridges: fc.tuple(
    ...bridgeNames.map((name) =>
      fc
        .record({
          iommuMap: fc.oneof({ weight: 6, arbitrary: fc.array(iommuMapEntryArbitrary, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant<ScenarioIommuMapEntry[]>([]) }),
          iommuMapMask: sometimes(fc.constantFrom(0xffff, 0xfff8, 0xff00, 0x0), 2),
        })
        
        .map(({ iommuMap, iommuMapMask }): ScenarioPciHostBridge => (iommuMapMask === undefined ? { name, iommuMap } : { name, iommuMap, iommuMapMask })),
    ),
  ),
});

/** Requester ids of the functions the device arbitrary can produce, plus a few no device has. */
const ridPool = [0x0, 0x1, 0x8, 0x9, 0x10, 0x19, 0x100, 0x101, 0x108, 0x200];
const u16Domid = fc.oneof(fc.constantFrom(0, 1, 2, 5, 7, 0x7fef, 0x7ff0, 0xffff), fc.integer({ min: 0, max: 0xffff }));
const hex = (bytes: number[]): string => bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
const le16 = (value: number): number[] => [value & 0xff, (value >> 8) & 0xff];

const xenstoreArbitrary = fc.dictionary(
  fc
    .record({
      guest: fc.constantFrom(0, 1, 2, 5, 7),
      key: fc.constantFrom('dev0', 'dev1', 'dev2', '0000:00:00.0', '0000:00:01.1', '0000:01:00.0', '0000:00:03.1'),
    })
    .map(({ guest, key }) => `/local/domain/${guest}/device/virtio/${key}/backend-domid`),
  fc.constantFrom('0', '5', '7', '2', 'x', '0x5', '05', '32752', '65535', '99999999999'),
  { maxKeys: 4 },
);

const acpiArbitrary = fc.record({
  backendDomids: fc.array(fc.record({ segment: fc.constantFrom(0, 0, 1), rid: fc.constantFrom(...ridPool), domid: interestingCell }), { maxLength: 4 }),
});

const rootComplexArbitrary = fc.record({
  emulatedBy: fc.constantFrom('hypervisor' as const, 'backend' as const),
  table: fc.array(fc.record({ segment: fc.constantFrom(0, 0, 1), rid: fc.constantFrom(...ridPool), domid: u16Domid }), { maxLength: 4 }),
});

/** A xen_domid_table, usually well formed, sometimes with a wrong count, version or reserved byte. */
const domidTableHex = fc
  .record({
    entries: fc.array(fc.record({ rid: fc.constantFrom(...ridPool), domid: u16Domid }), { maxLength: 4 }),
    countDelta: fc.constantFrom(0, 0, 0, 0, 1, -1),
    version: fc.constantFrom(1, 1, 1, 2),
    reserved: fc.constantFrom(0, 0, 0, 1),
    trailing: fc.constantFrom(0, 0, 0, 1, 2),
  })
  .map(({ entries, countDelta, version, reserved, trailing }) =>
    hex([
      ...le16(Math.max(0, entries.length + countDelta)),
      version,
      reserved,
      ...entries.flatMap((entry) => [...le16(entry.rid), ...le16(entry.domid)]),
      ...Array<number>(trailing).fill(0),
    ]),
  );

const dummyDeviceArbitrary = fc.record({
  emulatedBy: fc.constantFrom('hypervisor' as const, 'backend' as const),
  bdf: fc.record({ segment: fc.constantFrom(0, 0, 1), bus: fc.constant(0), device: fc.constant(31), function: fc.constant(0) }),
  table: domidTableHex,
});

/** A virtio-iommu PROBE property carrying a backend domid, sometimes truncated or with bad header bits. */
const probePropertyHex = fc
  .record({
    type: fc.constantFrom(0x800, 0x800, 0x800, 0x801, 0x1800),
    length: fc.constantFrom(4, 4, 4, 8),
    domid: u16Domid,
    flags: fc.constantFrom(1, 1, 1, 0, 3),
    cut: fc.constantFrom(0, 0, 0, 0, 1, 8),
  })
  .map(({ type, length, domid, flags, cut }) => {
    const bytes = [...le16(type), ...le16(length), ...le16(domid), ...le16(flags)];
    return hex(bytes.slice(0, bytes.length - cut));
  });

const virtioIommuArbitrary = fc.record({
  runBy: fc.constantFrom('dom0' as const, 'backend' as const),
  endpoints: fc.array(fc.record({ endpoint: fc.constantFrom(...ridPool), property: probePropertyHex }), { maxLength: 3 }),
});

const channelsArbitrary: fc.Arbitrary<ScenarioChannels> = fc
  .record({
    deviceTree: sometimes(deviceTreeArbitrary, 3),
    xenstore: sometimes(xenstoreArbitrary, 1),
    acpi: sometimes(acpiArbitrary, 1),
    rootComplex: sometimes(rootComplexArbitrary, 1),
    dummyDevice: sometimes(dummyDeviceArbitrary, 1),
    virtioIommu: sometimes(virtioIommuArbitrary, 1),
  })
  .map((channels) => Object.fromEntries(Object.entries(channels).filter(([, value]) => value !== undefined)) as ScenarioChannels);

/** A scenario valid against scenario.schema.json, weighted towards the decision table's corners. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({ guest: guestArbitrary, devices: devicesArbitrary, channels: channelsArbitrary })
  .map(({ guest, devices, channels }) => ({ guest, devices, channels }));

/** A scenario with a map request for one of its devices (or, now and then, for a device it lacks). */
export const scenarioWithMapRequestArbitrary = scenarioArbitrary.chain((scenario) =>
  fc
    .record({
      deviceId: fc.constantFrom(...scenario.devices.map((device) => device.id), 'absent-device'),
      buffers: fc.array(
        fc.record({
          frame: fc.oneof(fc.constantFrom(0, 1, 0x12345, 0xfffffffe, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff })),
          offset: fc.oneof(fc.constantFrom(0, 1, 0xfff), fc.integer({ min: 0, max: 4095 })),
          length: fc.oneof(fc.constantFrom(1, 4096, 4097, 8192), fc.integer({ min: 1, max: 40_000 })),
          direction: fc.constantFrom('to-device' as const, 'from-device' as const, 'bidirectional' as const),
          coherent: fc.boolean(),
        }),
        { maxLength: 4 },
      ),
    })
    // A coherent allocation is whole pages from a page boundary (map-request.schema.json).
    .map((request) => ({ scenario, request: { ...request, buffers: request.buffers.map((buffer) => (buffer.coherent ? { ...buffer, offset: 0 } : buffer)) } })),
);
