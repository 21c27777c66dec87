import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../../core/schema-validator.ts';
import type { Decision } from '../../../generated/ts/schema/decision.ts';
import type { Scenario } from '../../../generated/ts/schema/scenario.ts';
import { decisionTableRows, grantReadyFeatures, type TableOutcome } from './decision-table.ts';
import { createLinuxFrontend, linuxDecide } from './linux-model.ts';
import { linux2026, linux62, linux65, linux72, type LinuxVersion } from './linux-versions.ts';

/** Translates the table's notation into the decision fields it fixes. */
function expectedDecision(outcome: TableOutcome): Partial<Decision> {
  if (outcome === 'OOPS') return { outcome: 'crash' };
  if (outcome === 'N') return { outcome: 'no-grants' };
  if (outcome === 'ENODEV') return { outcome: 'refused' };
  const domid = Number(/^G\((\d+)\)$/.exec(outcome)![1]);
  return { outcome: 'grants', backendDomid: domid };
}

function only(decisions: Decision[]): Decision {
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
}

const columns: { name: string; version: LinuxVersion; column: 'A' | 'B' | 'C' | 'D' }[] = [
  { name: linux62.name, version: linux62, column: 'A' },
  { name: linux65.name, version: linux65, column: 'B' },
  { name: linux2026.name, version: linux2026, column: 'C' },
  { name: linux72.name, version: linux72, column: 'D' },
];

describe.each(columns)('$name follows column $column of decision table 5.9', ({ version, column }) => {
  const frontend = createLinuxFrontend(version);
  it.each(decisionTableRows.map((row) => [row.row, row] as const))('row %s', (_, row) => {
    const decision = only(frontend.decide(row.scenario));
    const expected = expectedDecision(row.expected[column]);
    expect(decision).toMatchObject(expected);
    if (expected.outcome !== 'grants') expect(decision.backendDomid).toBeUndefined();
  });
});

function armMmio(cells: number[]): Scenario {
  return {
    guest: { domid: 5, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [{ id: 'm0', transport: 'mmio', dtNode: 'virtio@0', deviceFeatures: grantReadyFeatures, backendControlled: ['deviceFeatures'] }],
    channels: {
      deviceTree: {
        iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }],
        mmioNodes: [{ name: 'virtio@0', iommus: cells }],
        pciHostBridges: [],
      },
    },
  };
}

describe('Linux defects beyond the table', () => {
  it.each([linux62, linux65, linux2026, linux72].map((version) => [version.name, version] as const))('%s truncates a 32-bit DT cell to 16 bits and does not check reserved domids', (_, version) => {
    expect(only(createLinuxFrontend(version).decide(armMmio([65001, 0x1_0003])))).toMatchObject({ outcome: 'grants', backendDomid: 3 });
    expect(only(createLinuxFrontend(version).decide(armMmio([65001, 0x7ff2])))).toMatchObject({ outcome: 'grants', backendDomid: 0x7ff2 });
  });

  it('rejects a xen,grant-dma reference with a wrong cell count (no fallback: no grants)', () => {
    const scenario = armMmio([65001, 3, 4]);
    scenario.channels.deviceTree!.iommuNodes[0]!.iommuCells = 2;
    scenario.guest.kernel.forceGrant = true;
    expect(only(createLinuxFrontend(linux65).decide(scenario))).toMatchObject({ outcome: 'no-grants' });
  });

  it('hands function 1 the next domid when iommu-map uses the RFC length of 8 per slot', () => {
    const scenario: Scenario = {
      guest: { domid: 9, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
      devices: [0, 1].map((fn) => ({
        id: `f${fn}`,
        transport: 'pci' as const,
        bdf: { segment: 0, bus: 0, device: 1, function: fn },
        rootBusBridgeHasParent: true,
        hostBridgeDtNode: 'pcie',
        deviceFeatures: grantReadyFeatures,
        backendControlled: [],
      })),
      channels: {
        deviceTree: {
          iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }],
          mmioNodes: [],
          pciHostBridges: [{ name: 'pcie', iommuMap: [{ ridBase: 0x8, phandle: 65001, domidBase: 5, length: 8 }] }],
        },
      },
    };
    const decisions = createLinuxFrontend(linux2026).decide(scenario);
    expect(decisions.map((decision) => decision.backendDomid)).toEqual([5, 6]);
  });

  it('applies iommu-map-mask before the lookup', () => {
    const scenario: Scenario = {
      guest: { domid: 9, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
      devices: [{ id: 'd', transport: 'pci', bdf: { segment: 0, bus: 2, device: 3, function: 1 }, rootBusBridgeHasParent: true, hostBridgeDtNode: 'pcie', deviceFeatures: grantReadyFeatures, backendControlled: [] }],
      channels: {
        deviceTree: {
          iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }],
          mmioNodes: [],
          // mask 0xf8 keeps device bits only: RID 0x0219 -> 0x18.
          pciHostBridges: [{ name: 'pcie', iommuMapMask: 0xf8, iommuMap: [{ ridBase: 0x18, phandle: 65001, domidBase: 4, length: 1 }] }],
        },
      },
    };
    expect(only(createLinuxFrontend(linux65).decide(scenario))).toMatchObject({ outcome: 'grants', backendDomid: 4 });
    scenario.channels.deviceTree!.pciHostBridges[0]!.iommuMap![0]!.ridBase = 0x118;
    // rid-base outside the mask: of_map_id fails, so no grants.
    expect(only(createLinuxFrontend(linux65).decide(scenario))).toMatchObject({ outcome: 'no-grants' });
  });

  it('never asks about grants without CONFIG_XEN_VIRTIO', () => {
    const scenario = decisionTableRows.find((row) => row.row === '2-fg')!.scenario;
    const withoutXenVirtio = { ...scenario, guest: { ...scenario.guest, kernel: { xenVirtio: false, forceGrant: false } } };
    for (const version of [linux62, linux65, linux2026, linux72]) {
      expect(linuxDecide(version, withoutXenVirtio, withoutXenVirtio.devices[0]!)).toMatchObject({ outcome: 'no-grants' });
    }
  });

  it('names the mechanism the domid came from', () => {
    const fallback = decisionTableRows.find((row) => row.row === '3a-fg')!;
    expect(only(createLinuxFrontend(linux65).decide(fallback.scenario)).mechanism).toBe('dom0-default');
    const dt = decisionTableRows.find((row) => row.row === '8-fg')!;
    expect(only(createLinuxFrontend(linux65).decide(dt.scenario)).mechanism).toBe('dt-iommus');
  });
});

describe('what a real boot does', () => {
  const pciOn = (hasParent: boolean, fn: number) => ({
    id: `f${fn}`,
    transport: 'pci' as const,
    bdf: { segment: 0, bus: 0, device: 1, function: fn },
    rootBusBridgeHasParent: hasParent,
    deviceFeatures: grantReadyFeatures,
    backendControlled: [] as [],
  });

  it('an oops while probing one device of a 6.2 guest loses every device of it, not just that one', () => {
    const scenario: Scenario = {
      guest: { domid: 0, initialDomain: true, type: 'pv', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
      devices: [{ id: 'm', transport: 'mmio', deviceFeatures: grantReadyFeatures, backendControlled: [] }, pciOn(false, 0)],
      channels: {},
    };
    expect(createLinuxFrontend(linux62).decide(scenario).map((decision) => decision.outcome)).toEqual(['crash', 'crash']);
    expect(createLinuxFrontend(linux65).decide(scenario).map((decision) => decision.outcome)).toEqual(['grants', 'grants']);
  });

  it('an x86 PV domU reaches PCI through pcifront, whose root bus has a parent: 6.2 falls back to dom0 instead of crashing', () => {
    const scenario: Scenario = {
      guest: { domid: 5, initialDomain: false, type: 'pv', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
      devices: [pciOn(true, 0)],
      channels: {},
    };
    expect(only(createLinuxFrontend(linux62).decide(scenario))).toMatchObject({ outcome: 'grants', backendDomid: 0, mechanism: 'dom0-default' });
  });

  it('decides on negotiated features: a balloon that offers ACCESS_PLATFORM is still refused under grants', () => {
    const row = decisionTableRows.find((candidate) => candidate.row === '10-balloon')!;
    expect(BigInt(row.scenario.devices[0]!.deviceFeatures) & (1n << 33n)).toBe(1n << 33n);
    for (const version of [linux62, linux65, linux2026, linux72]) {
      const decision = only(createLinuxFrontend(version).decide(row.scenario));
      expect(decision).toMatchObject({ outcome: 'refused' });
      expect(decision.reason).toContain('ACCESS_PLATFORM');
    }
  });

  it('7.2 reads iommu-map per #iommu-cells: a 2-cell node with the RFC length-8 entry means no grants, the old length-1 form still grants', () => {
    const rfc = decisionTableRows.find((candidate) => candidate.row === '10-cells2-rfc')!;
    expect(only(createLinuxFrontend(linux2026).decide(rfc.scenario))).toMatchObject({ outcome: 'grants', backendDomid: 3 });
    expect(only(createLinuxFrontend(linux72).decide(rfc.scenario))).toMatchObject({ outcome: 'no-grants' });
    const old = decisionTableRows.find((candidate) => candidate.row === '10-cells2-old')!;
    expect(only(createLinuxFrontend(linux72).decide(old.scenario))).toMatchObject({ outcome: 'grants', backendDomid: 3 });
  });
});

describe('Linux grant mapping', () => {
  it('grants consecutive refs to the backend, read-only for to-device buffers, and encodes the first ref', () => {
    const row = decisionTableRows.find((candidate) => candidate.row === '8-nofg')!;
    const result = createLinuxFrontend(linux65).map(row.scenario, {
      deviceId: 'vdev0',
      buffers: [
        { frame: 0x100, offset: 0x10, length: 4096, direction: 'to-device', coherent: false },
        { frame: 0x200, offset: 0, length: 100, direction: 'from-device', coherent: false },
      ],
    });
    expect(result.outcome).toBe('mapped');
    expect(result.mappings[0]!.grants).toEqual([
      { ref: 8, domid: 3, frame: 0x100, readonly: true },
      { ref: 9, domid: 3, frame: 0x101, readonly: true },
    ]);
    expect(result.mappings[0]!.dmaAddress).toBe('0x8000000000008010');
    expect(result.mappings[1]!.grants).toEqual([{ ref: 10, domid: 3, frame: 0x200, readonly: false }]);
  });

  it('maps directly without grants and refuses a crashed device', () => {
    const direct = decisionTableRows.find((candidate) => candidate.row === '9-nofg')!;
    const buffers = [{ frame: 0x100, offset: 0x10, length: 16, direction: 'bidirectional' as const, coherent: true }];
    expect(createLinuxFrontend(linux65).map(direct.scenario, { deviceId: 'vdev0', buffers })).toEqual({
      deviceId: 'vdev0',
      outcome: 'direct',
      mappings: [{ dmaAddress: '0x100010', grants: [] }],
    });
    const oops = decisionTableRows.find((candidate) => candidate.row === '2-fg')!;
    expect(createLinuxFrontend(linux62).map(oops.scenario, { deviceId: 'vdev0', buffers }).outcome).toBe('refused');
  });
});

describe('decision table data', () => {
  const validateScenario = compileSchemaFile(join(import.meta.dirname, '../../../spec/schema/scenario.schema.json'));
  const validateDecision = compileSchemaFile(join(import.meta.dirname, '../../../spec/schema/decision.schema.json'));

  it.each(decisionTableRows.map((row) => [row.row, row] as const))('row %s is a schema-valid scenario and every model answers with schema-valid decisions', (_, row) => {
    expect(validateScenario(row.scenario), JSON.stringify(validateScenario.errors)).toBe(true);
    for (const version of [linux62, linux65, linux2026, linux72]) {
      for (const decision of createLinuxFrontend(version).decide(row.scenario)) {
        expect(validateDecision(decision), JSON.stringify(validateDecision.errors)).toBe(true);
      }
    }
  });
});
