import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { hexToBytes } from '../../reference-impl/discovery/hex-bytes.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { frontendProperties } from './properties.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { discoveryMechanisms } from '../../reference-impl/discovery/index.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { buildPlatform, capabilityWalkCaseArbitrary, dtCellCaseArbitrary, malformedTreeCaseArbitrary, mapCaseArbitrary, platformAccessCaseArbitrary, platformArbitrary, ridCaseArbitrary, trustedSourceCaseArbitrary } from './arbitraries.ts';
import { applyHostileBackend, backendWrittenMechanisms, hostileBackendArbitrary, PlacementError, randomConfigSpace } from './hostile-backend.ts';

const schemas = join(import.meta.dirname, '../../spec/schema');
const grantReady = VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM;
const validScenario = compileSchemaFile(join(schemas, 'scenario.schema.json'));
const validRequest = compileSchemaFile(join(schemas, 'map-request.schema.json'));

describe('frontend case generators', () => {
  it.each(frontendProperties.map((property) => [property.id, property] as const))('%s: scenarios, variants and requests are schema-valid', (_id, property) => {
    fc.assert(
      fc.property(property.cases, (testCase) => {
        expect(validScenario(testCase.scenario), JSON.stringify(validScenario.errors)).toBe(true);
        if (testCase.variant) expect(validScenario(testCase.variant), JSON.stringify(validScenario.errors)).toBe(true);
        if (testCase.request) expect(validRequest(testCase.request), JSON.stringify(validRequest.errors)).toBe(true);
        for (const device of testCase.scenario.devices) expect(testCase.expectations[device.id]).toBeDefined();
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });

  it('variants differ from the scenario only in backend-controlled device fields and in channels the backend runs', () => {
    const trustedChannels = (channels: Scenario['channels']) =>
      Object.fromEntries(Object.entries(channels).filter(([, channel]) => !['backend'].includes((channel as { runBy?: string; emulatedBy?: string }).runBy ?? (channel as { emulatedBy?: string }).emulatedBy ?? '')));
    fc.assert(
      fc.property(trustedSourceCaseArbitrary, ({ scenario, variant }) => {
        expect(variant!.guest).toEqual(scenario.guest);
        expect(trustedChannels(variant!.channels)).toEqual(trustedChannels(scenario.channels));
        const strip = (device: (typeof scenario.devices)[number]) =>
          Object.fromEntries(Object.entries(device).filter(([field]) => field !== 'backendControlled' && !(device.backendControlled as string[]).includes(field)));
        expect(variant!.devices.map(strip)).toEqual(scenario.devices.map(strip));
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });

  it('every backend-written mechanism of spec/mechanisms.yaml is published by some hostile backend, and reads back as the domid it chose', () => {
    const ids = mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id).sort();
    expect(backendWrittenMechanisms.map((mechanism) => mechanism.id).sort()).toEqual(ids);
    const seen = new Set<string>();
    for (const [platform, backend] of fc.sample(fc.tuple(platformArbitrary, hostileBackendArbitrary), { seed: 4, numRuns: 300 })) {
      const built = buildPlatform(platform);
      const scenario = applyHostileBackend(built, backend);
      for (const [index, device] of scenario.devices.entries()) {
        for (const publication of backend[index % backend.length]!.publications) {
          const reading = discoveryMechanisms[publication.mechanism].read(scenario, device);
          if (reading.kind === 'domid' && reading.domid === publication.domid) seen.add(publication.mechanism);
        }
      }
    }
    expect([...seen].sort()).toEqual(ids);
  });

  it('random config spaces always have room: no publication a case asks for is dropped, a platform without room is an error', () => {
    for (const seed of [0, 1, 2, 0x1234, -5, 0x7fffffff]) {
      const config = randomConfigSpace(seed);
      for (const mechanism of ['vendor-data-capability', 'virtio-capability'] as const) {
        const platform = { guest: { arch: 'arm' as const, x86Type: 'pvh' as const, initialDomain: false, domU: 3, forceGrant: false, xenVirtio: true }, devices: [{ mmio: false, fn: 0, backend: 2, grantUsage: true }] };
        const built = buildPlatform(platform);
        const scenario = applyHostileBackend(built, [{ features: 0n, randomConfig: config, publications: [{ mechanism, domid: 0x7ff0 }], deviceConfig: new Uint8Array() }]);
        expect(discoveryMechanisms[mechanism].read(scenario, scenario.devices[0]!)).toEqual({ kind: 'domid', domid: 0x7ff0 });
      }
    }
    // A config space with no free byte past the header cannot take a capability: the generator says so.
    const full = { guest: { arch: 'arm' as const, x86Type: 'pvh' as const, initialDomain: false, domU: 3, forceGrant: false, xenVirtio: true }, devices: [{ mmio: false, fn: 0, backend: 2, grantUsage: true }] };
    const built = buildPlatform(full);
    const crowded = { ...built, scenario: { ...built.scenario, devices: built.scenario.devices.map((device) => ({ ...device, configSpace: device.configSpace!.slice(0, 128) + 'ff'.repeat(192) })) } };
    expect(() => applyHostileBackend(crowded, [{ features: 0n, publications: [{ mechanism: 'virtio-capability', domid: 4 }], deviceConfig: new Uint8Array() }])).toThrow(PlacementError);
  });

  it('hostile backends do reach into config space with vendor data (cfg_type 9) naming their own domid', () => {
    const found = fc.sample(trustedSourceCaseArbitrary, { seed: 1, numRuns: 200 }).some(({ scenario }) =>
      scenario.devices.some((device) => device.configSpace !== undefined && /09..0c09/.test(device.configSpace) && hexToBytes(device.configSpace) !== undefined),
    );
    expect(found).toBe(true);
  });

  it('device-tree cell cases put cells above 16 bits and in the reserved range into the tree', () => {
    const cells = fc.sample(dtCellCaseArbitrary, { seed: 2, numRuns: 200 }).flatMap((testCase) => Object.values(testCase.expectations).map((expectation) => expectation.dtCell));
    expect(cells.some((cell) => cell !== undefined && cell > 0xffff)).toBe(true);
    expect(cells.some((cell) => cell !== undefined && cell >= 0x7ff0 && cell <= 0xffff)).toBe(true);
  });

  it('malformed-tree cases mark at least one device, and RID cases cover masks and unmatched functions', () => {
    for (const testCase of fc.sample(malformedTreeCaseArbitrary, { seed: 3, numRuns: 100 })) {
      expect(Object.values(testCase.expectations).some((expectation) => expectation.malformedTrusted !== undefined)).toBe(true);
    }
    const ridCases = fc.sample(ridCaseArbitrary, { seed: 4, numRuns: 200 });
    expect(ridCases.some((testCase) => testCase.scenario.channels.deviceTree!.pciHostBridges[0]!.iommuMapMask !== undefined)).toBe(true);
    expect(ridCases.some((testCase) => Object.values(testCase.expectations).some((expectation) => expectation.ridDomid === null))).toBe(true);
  });
});

describe('grant-scope cases (XEN-INV-15 to XEN-INV-22)', () => {
  it('more than a third request a device the tree describes for grants towards another domain, offering VERSION_1 and ACCESS_PLATFORM', () => {
    const cases = fc.sample(mapCaseArbitrary, { seed: 5, numRuns: 400 });
    const granted = cases.filter(({ scenario, expectations, request }) => {
      const device = scenario.devices.find((candidate) => candidate.id === request!.deviceId)!;
      const trusted = expectations[device.id]!.trusted;
      const features = BigInt(device.deviceFeatures);
      return trusted?.kind === 'grants' && trusted.domid !== scenario.guest.domid && (features & grantReady) === grantReady;
    });
    expect(granted.length).toBeGreaterThan(cases.length / 3);
  });
});

describe('platform-access cases (XEN-INV-04, VIRTIO-DRV-14)', () => {
  it('often describe a device for grants towards another domain while it withholds VERSION_1 or ACCESS_PLATFORM, and sometimes one offering both', () => {
    const devices = fc.sample(platformAccessCaseArbitrary, { seed: 6, numRuns: 300 }).flatMap(({ scenario, expectations }) =>
      scenario.devices
        .filter((device) => expectations[device.id]!.trusted?.kind === 'grants' && (expectations[device.id]!.trusted as { domid: number }).domid !== scenario.guest.domid)
        .map((device) => BigInt(device.deviceFeatures) & grantReady),
    );
    expect(devices.filter((offered) => offered !== grantReady).length).toBeGreaterThan(100);
    for (const offered of [VirtioFeatures.VERSION_1, VirtioFeatures.ACCESS_PLATFORM, 0n, grantReady]) expect(devices).toContain(offered);
  });
});

describe('capability-walk cases vary what a walk must get right (XEN-INV-10, PCI-DRV-11)', () => {
  const cases = fc.sample(capabilityWalkCaseArbitrary, { seed: 9, numRuns: 600 });
  const kinds = ['reserved cfg_type', 'reserved bar', 'a second', 'points back to its first', 'cap_len', 'status bit is clear', 'reserved low bits', 'into the header', 'ID 0xFF', 'structure length'];

  it('every kind of change is generated', () => {
    for (const kind of kinds) expect(cases.some((testCase) => testCase.change!.includes(kind)), kind).toBe(true);
  });

  it('a conformant walk finds the same virtio capabilities on both sides', () => {
    const visible = (config: string | undefined) =>
      config === undefined ? [] : walkCapabilities(hexToBytes(config)!).capabilities.filter((capability) => capability.virtio && capability.virtio.bar <= 5 && capability.virtio.cfgType <= 10).map((capability) => JSON.stringify(capability.virtio, (key, value: unknown) => (key === 'capNext' ? undefined : value)));
    // Each PCI function carries its own change, named after the function's id.
    const changeOf = (testCase: (typeof cases)[number], deviceId: string) => testCase.change!.split('; ').find((part) => part.startsWith(`${deviceId}: `));
    let checked = 0;
    for (const testCase of cases) {
      for (const [index, device] of testCase.scenario.devices.entries()) {
        const change = changeOf(testCase, device.id);
        if (change === undefined || !/status bit|low bits|into the header|0xFF|structure length/.test(change)) continue;
        const before = visible(device.configSpace);
        const after = visible(testCase.variant!.devices[index]!.configSpace);
        if (change.includes('structure length')) expect(after.length).toBe(before.length);
        else expect(after, change).toEqual(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('PCI functions of one case carry different changes, and duplicates often differ in agreeing with the assigned backend', () => {
    expect(cases.some((testCase) => new Set(testCase.change!.split('; ').map((part) => part.replace(/^[^:]*: /, '').replace(/\d+|0x[0-9a-f]+/g, 'N'))).size > 1)).toBe(true);
    const duplicates = cases.flatMap((testCase) =>
      testCase.scenario.devices.flatMap((device) => {
        const match = /: a second \S+ \(domid (\d+)\) after the first \(domid (\d+)\)/.exec(testCase.change!.split('; ').find((part) => part.startsWith(`${device.id}: `)) ?? '');
        return match ? [{ assigned: testCase.expectations[device.id]!.assignedDomid, second: Number(match[1]), first: Number(match[2]) }] : [];
      }),
    );
    const revealing = duplicates.filter(({ assigned, first, second }) => (first === assigned) !== (second === assigned));
    expect(revealing.length).toBeGreaterThan(duplicates.length / 3);
  });
});
