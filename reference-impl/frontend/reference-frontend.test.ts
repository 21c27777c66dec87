import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { bytesToHex } from '../discovery/hex-bytes.ts';
import { hostilePublisher } from '../discovery/mechanism.ts';
import { buildScenario, type XlGuestConfig } from '../xen/toolstack.ts';
import { decisionTableRows, grantReadyFeatures } from './linux/decision-table.ts';
import { referenceFrontend } from './reference-frontend.ts';

/** What the reference must decide on each row of table 5.9 (trusted DT only, no dom0 guess, fail closed). */
const expectedOnTable: Record<string, 'N' | 'refused' | 'G(3)'> = {
  '1-nofg': 'N', '1-fg': 'refused', '1-noap-nofg': 'N', '1-noap-fg': 'refused',
  '2-nofg': 'N', '2-fg': 'refused', '3a-nofg': 'N', '3a-fg': 'refused', '3b-nofg': 'N', '3b-fg': 'refused',
  '4': 'N', '5': 'refused', '5-noap': 'refused', '6': 'N', '7': 'refused',
  '8-nofg': 'G(3)', '8-fg': 'G(3)', '9-nofg': 'N', '9-fg': 'refused', '10-nofg': 'G(3)', '10-fg': 'G(3)',
  '11a-nofg': 'N', '11a-fg': 'refused', '11b-nofg': 'N', '11b-fg': 'refused', '11c-nofg': 'N', '11c-fg': 'refused',
  '12a-nofg': 'N', '12a-fg': 'refused', '12b-nofg': 'refused', '12b-fg': 'refused',
  '13a': 'refused', '13b': 'refused', '14a': 'N', '14b': 'N', '15a': 'refused', '15b': 'refused',
  // The reference is a policy, not a balloon driver: it does not negotiate, so the offered features count.
  '10-balloon': 'G(3)', '10-cells2-rfc': 'refused', '10-cells2-old': 'refused', '10-cells0': 'refused', '10-cells-missing': 'refused', '11d': 'G(3)',
};

const validateDecision = compileSchemaFile(join(import.meta.dirname, '../../spec/schema/decision.schema.json'));
const validateMapResult = compileSchemaFile(join(import.meta.dirname, '../../spec/schema/map-result.schema.json'));

function only(decisions: Decision[]): Decision {
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
}

describe('reference frontend on decision table 5.9', () => {
  it('has an expectation for every row', () => {
    expect(Object.keys(expectedOnTable).sort()).toEqual(decisionTableRows.map((row) => row.row).sort());
  });

  it.each(decisionTableRows.map((row) => [row.row, row] as const))('row %s', (_, row) => {
    const decision = only(referenceFrontend.decide(row.scenario));
    const expected = expectedOnTable[row.row];
    if (expected === 'G(3)') expect(decision).toMatchObject({ outcome: 'grants', backendDomid: 3 });
    else expect(decision).toMatchObject({ outcome: expected === 'N' ? 'no-grants' : 'refused' });
    expect(decision.backendDomid === undefined || decision.backendDomid !== row.scenario.guest.domid).toBe(true);
  });
});

const hexWord = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((value) => `0x${value.toString(16)}`);
const cell = fc.oneof(fc.integer({ min: 0, max: 0x7fff }), fc.integer({ min: 0x7ff0, max: 0x1_ffff }), fc.constant(0xffff_ffff));

/** Arbitrary platforms: any guest, mmio and PCI devices, a device tree with valid and broken references. */
const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    domid: fc.integer({ min: 0, max: 8 }),
    initialDomain: fc.boolean(),
    arch: fc.constantFrom('x86' as const, 'arm' as const),
    type: fc.constantFrom('pv' as const, 'pvh' as const, 'hvm' as const),
    forceGrant: fc.boolean(),
    devices: fc.array(
      fc.record({
        mmio: fc.boolean(),
        dtNode: fc.boolean(),
        parent: fc.boolean(),
        features: fc.oneof(fc.constant(grantReadyFeatures), hexWord),
        iommus: fc.option(fc.array(fc.oneof(fc.constantFrom(65001, 65002, 7), cell), { minLength: 1, maxLength: 3 })),
        map: fc.option(fc.array(fc.record({ ridBase: fc.integer({ min: 0, max: 0x20 }), phandle: fc.constantFrom(65001, 7, 99), domidBase: cell, length: fc.integer({ min: 0, max: 9 }) }), { maxLength: 3 })),
        mask: fc.option(fc.constantFrom(0xffff, 0xf8, 0xff00)),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    bootParameters: fc.array(fc.constantFrom('xen_virtio.backend_domid=4', 'xen_virtio.backend_domid=0', 'xen_virtio.backend_domid=x', 'quiet'), { maxLength: 2 }),
  })
  .map((shape) => {
    const devices: ScenarioDevice[] = shape.devices.map((device, index) =>
      device.mmio
        ? { id: `d${index}`, transport: 'mmio', ...(device.dtNode && { dtNode: `m${index}` }), deviceFeatures: device.features, backendControlled: ['deviceFeatures'] }
        : { id: `d${index}`, transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: index }, rootBusBridgeHasParent: device.parent, ...(device.dtNode && { hostBridgeDtNode: `b${index}` }), deviceFeatures: device.features, backendControlled: ['deviceFeatures'] },
    );
    return {
      guest: { domid: shape.domid, initialDomain: shape.initialDomain, type: shape.arch === 'arm' && shape.type === 'pv' ? 'pvh' : shape.type, arch: shape.arch, kernel: { xenVirtio: true, forceGrant: shape.forceGrant }, bootParameters: shape.bootParameters },
      devices,
      channels: {
        deviceTree: {
          iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }, { phandle: 7, compatible: ['arm,smmu-v3'], iommuCells: 1 }],
          mmioNodes: shape.devices.map((device, index) => ({ name: `m${index}`, ...(device.iommus && { iommus: device.iommus }) })),
          pciHostBridges: shape.devices.map((device, index) => ({ name: `b${index}`, ...(device.map && { iommuMap: device.map }), ...(device.mask !== null && { iommuMapMask: device.mask }) })),
        },
      },
    } satisfies Scenario;
  });

describe('reference frontend invariants', () => {
  it('never grants to itself, to a reserved domid, or without VERSION_1 and ACCESS_PLATFORM', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const decision of referenceFrontend.decide(scenario)) {
          expect(validateDecision(decision), JSON.stringify(validateDecision.errors)).toBe(true);
          expect(decision.outcome).not.toBe('crash');
          if (decision.outcome !== 'grants') continue;
          const device = scenario.devices.find((candidate) => candidate.id === decision.deviceId)!;
          expect(decision.backendDomid).not.toBe(scenario.guest.domid);
          expect(decision.backendDomid!).toBeLessThan(0x7ff0);
          const features = BigInt(device.deviceFeatures);
          expect(features & (3n << 32n)).toBe(3n << 32n);
        }
      }),
      propertyParameters(),
    );
  });

  it('fails closed on a malformed trusted source where Linux silently drops grants', () => {
    const row = decisionTableRows.find((candidate) => candidate.row === '8-nofg')!;
    const broken = structuredClone(row.scenario);
    broken.channels.deviceTree!.mmioNodes[0]!.iommus = [65010, 3];
    expect(only(referenceFrontend.decide(broken))).toMatchObject({ outcome: 'refused', mechanism: 'dt-iommus' });
    broken.channels.deviceTree!.mmioNodes[0]!.iommus = [65001, 0x1_0003];
    expect(only(referenceFrontend.decide(broken))).toMatchObject({ outcome: 'refused' });
  });

  it('refuses when trusted sources disagree', () => {
    const row = decisionTableRows.find((candidate) => candidate.row === '8-nofg')!;
    const both = structuredClone(row.scenario);
    both.guest.bootParameters = ['xen_virtio.backend_domid=4'];
    expect(only(referenceFrontend.decide(both))).toMatchObject({ outcome: 'refused' });
    both.guest.bootParameters = ['xen_virtio.backend_domid=3'];
    expect(only(referenceFrontend.decide(both))).toMatchObject({ outcome: 'grants', backendDomid: 3 });
  });
});

const backendWritten = ['device-register', 'virtio-capability', 'vendor-data-capability', 'virtio-iommu-backend'];

function armGuest(backends: number[]): XlGuestConfig {
  return {
    domid: 1,
    type: 'pvh',
    arch: 'arm',
    virtio: backends.map((backend, index) =>
      index % 2 === 0
        ? { id: `p${index}`, type: 'virtio,device1', transport: 'pci' as const, bdf: { segment: 0, bus: 0, device: index + 1, function: 0 }, backend }
        : { id: `m${index}`, type: 'virtio,device2', transport: 'mmio' as const, backend },
    ),
  };
}

describe('trusted source (metamorphic): hostile backends cannot move the reference', () => {
  it('two different hostile backends give the same decisions, naming the toolstack-assigned domid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 0x7fef }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (backends, hostileA, hostileB, noise) => {
          const publish = ['dt-iommus', 'dt-iommu-map', ...backendWritten];
          const build = (domid: number, extra: Uint8Array) => {
            const built = buildScenario(armGuest(backends), { publish, publishers: Object.fromEntries(backendWritten.map((id) => [id, hostilePublisher(domid)])) });
            if (!built.ok) throw new Error('configuration rejected');
            // The backend also fills its device config with whatever it likes.
            return { ...built.scenario, devices: built.scenario.devices.map((device) => ({ ...device, deviceConfig: bytesToHex(extra) + (device.deviceConfig ?? '') })) };
          };
          const first = referenceFrontend.decide(build(hostileA, noise));
          const second = referenceFrontend.decide(build(hostileB, noise.map((byte) => byte ^ 0xff)));
          expect(first).toEqual(second);
          first.forEach((decision, index) => expect(decision).toMatchObject({ outcome: 'grants', backendDomid: backends[index] }));
        },
      ),
      propertyParameters(),
    );
  });
});

describe('reference grant scope', () => {
  it('every grant names the backend, read-only exactly when the device only reads, with the first ref in the DMA address', () => {
    const row = decisionTableRows.find((candidate) => candidate.row === '10-nofg')!;
    fc.assert(
      fc.property(
        fc
          .array(fc.record({ frame: fc.integer({ min: 0, max: 0xffff }), offset: fc.integer({ min: 0, max: 4095 }), length: fc.integer({ min: 1, max: 3 * 4096 }), direction: fc.constantFrom('to-device' as const, 'from-device' as const, 'bidirectional' as const), coherent: fc.boolean() }), { maxLength: 6 })
          // A coherent allocation is whole pages from a page boundary.
          .map((list) => list.map((buffer) => (buffer.coherent ? { ...buffer, offset: 0 } : buffer))),
        (buffers) => {
          const result = referenceFrontend.map(row.scenario, { deviceId: 'vdev0', buffers });
          expect(validateMapResult(result), JSON.stringify(validateMapResult.errors)).toBe(true);
          expect(result.outcome).toBe('mapped');
          result.mappings.forEach((mapping, index) => {
            const buffer = buffers[index]!;
            expect(mapping.grants).toHaveLength(Math.ceil((buffer.offset + buffer.length) / 4096));
            mapping.grants.forEach((grant, page) => {
              expect(grant).toEqual({ ref: mapping.grants[0]!.ref + page, domid: 3, frame: buffer.frame + page, readonly: buffer.direction === 'to-device' && !buffer.coherent });
              expect(grant.ref).toBeGreaterThanOrEqual(8);
            });
            expect(BigInt(mapping.dmaAddress)).toBe((1n << 63n) | (BigInt(mapping.grants[0]!.ref) << 12n) | BigInt(buffer.offset));
          });
        },
      ),
      propertyParameters(),
    );
  });
});
