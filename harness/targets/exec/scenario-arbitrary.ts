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
  ScenarioIommuNode,
} from '../../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';

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
    xenVirtio: fc.boolean(),
    forceGrant: fc.boolean(),
    bootParameters: fc.subarray(['xen_virtio.backend_domid=5', 'xen_virtio.backend_domid=0', 'xen_virtio.backend_domid=junk', 'quiet']),
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
  .record({ version1: fc.boolean(), accessPlatform: fc.boolean(), other: fc.bigInt({ min: 0n, max: 0xffffffffn }) })
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
    rootBusBridgeHasParent: fc.boolean(),
    hostBridgeDtNode: fc.constantFrom(...bridgeNames, 'pcie@missing'),
    deviceFeatures: featuresArbitrary,
  },
  { requiredKeys: ['transport', 'bdf', 'rootBusBridgeHasParent', 'deviceFeatures'] },
);

const mmioDevice = fc.record(
  { transport: fc.constant('mmio' as const), dtNode: fc.constantFrom(...mmioNames, 'virtio@missing'), deviceFeatures: featuresArbitrary },
  { requiredKeys: ['transport', 'deviceFeatures'] },
);

const devicesArbitrary: fc.Arbitrary<ScenarioDevice[]> = fc
  .array(fc.oneof(pciDevice, mmioDevice), { minLength: 0, maxLength: 4 })
  .map((devices) => devices.map((device, index) => ({ id: `dev${index}`, ...device, backendControlled: ['configSpace', 'deviceFeatures'] }) as ScenarioDevice));

const iommuNodeArbitrary: fc.Arbitrary<ScenarioIommuNode> = fc.record(
  {
    phandle: fc.constantFrom(...phandles.filter((phandle) => phandle !== 0)),
    compatible: fc.constantFrom(['xen,grant-dma'], ['arm,smmu-v3'], [], ['vendor,iommu', 'xen,grant-dma']),
    iommuCells: fc.constantFrom(0, 1, 1, 1, 2),
  },
  { requiredKeys: ['phandle', 'compatible'] },
);

const deviceTreeArbitrary: fc.Arbitrary<ScenarioDeviceTree> = fc.record({
  iommuNodes: fc.array(iommuNodeArbitrary, { maxLength: 3 }),
  mmioNodes: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...mmioNames), iommus: fc.array(fc.oneof(fc.constantFrom(...phandles), interestingCell), { maxLength: 3 }) }, { requiredKeys: ['name'] }),
    { selector: (node) => node.name, maxLength: 3 },
  ),
  pciHostBridges: fc.uniqueArray(
    fc.record(
      {
        name: fc.constantFrom(...bridgeNames),
        iommuMap: fc.array(
          fc.record({
            ridBase: fc.constantFrom(0, 0x8, 0x10, 0x100, 0x108),
            phandle: fc.constantFrom(...phandles),
            domidBase: interestingCell,
            length: fc.constantFrom(0, 1, 8, 0x100, 0x10000, 0xffffffff),
          }),
          { maxLength: 3 },
        ),
        iommuMapMask: fc.constantFrom(0xffff, 0xfff8, 0xff00, 0x0),
      },
      { requiredKeys: ['name'] },
    ),
    { selector: (bridge) => bridge.name, maxLength: 2 },
  ),
});

const channelsArbitrary: fc.Arbitrary<ScenarioChannels> = fc.record(
  {
    deviceTree: deviceTreeArbitrary,
    xenstore: fc.dictionary(fc.constantFrom('/local/domain/1/device/virtio/0/backend-id', '/local/domain/1/name'), fc.constantFrom('0', '5', 'x')),
  },
  { requiredKeys: [] },
);

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
    .map((request) => ({ scenario, request })),
);
