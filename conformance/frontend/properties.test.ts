/**
 * What the frontend suite must show (issue 4 point 5), asserted on the in-process frontends: the
 * expected verdicts come from the digest's decision table 5.9 and §9, not from running the suite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { frontends } from '../../reference-impl/frontend/registry.ts';
import { createTrustingFrontend } from '../../reference-impl/frontend/trusting-frontend.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { platformCaseArbitrary } from './arbitraries.ts';
import { frontendProperties, frontendPropertyById, type FrontendPropertyId } from './properties.ts';
import { runPropertyInProcess, type PropertyRun } from './run-property.ts';

const settings = { seed: propertySeed, numRuns: 200 };

function runAll(name: keyof typeof frontends): Map<FrontendPropertyId, PropertyRun> {
  return new Map(frontendProperties.map((property) => [property.id, runPropertyInProcess(property, frontends[name], settings)]));
}

function failing(runs: Map<FrontendPropertyId, PropertyRun>): FrontendPropertyId[] {
  return [...runs].filter(([, run]) => run.kind !== 'pass').map(([id]) => id).sort();
}

function failure(runs: Map<FrontendPropertyId, PropertyRun>, id: FrontendPropertyId): Extract<PropertyRun, { kind: 'fail' }> {
  const run = runs.get(id);
  if (run?.kind !== 'fail') throw new Error(`${id} did not fail: ${JSON.stringify(run)}`);
  return run;
}

describe('frontend properties on the built-in frontends', () => {
  it('the reference frontend passes every property', () => {
    expect(failing(runAll('reference'))).toEqual([]);
  });

  it('linux-6.2 (column A): crashes on a parent-less root bus (fail closed), grants dom0 to itself, keeps reserved and truncated cells, ignores #iommu-cells on PCI', () => {
    const runs = runAll('linux-6.2');
    expect(failing(runs)).toEqual(['dom0-fallback', 'fail-closed', 'grant-dma-cells', 'no-self-grant', 'no-truncation', 'valid-domid']);
    // The crash, on the platforms a toolstack builds: ACPI root buses (never an x86 PV domU's pcifront bus), and the whole guest goes.
    const crash = runPropertyInProcess({ ...frontendPropertyById('fail-closed')!, cases: platformCaseArbitrary }, frontends['linux-6.2'], settings);
    if (crash.kind !== 'fail') throw new Error(`no crash: ${JSON.stringify(crash)}`);
    expect(crash.violation.code).toBe('crash');
    const { scenario } = crash.testCase;
    expect(scenario.devices.some((device) => device.transport === 'pci' && device.rootBusBridgeHasParent === false)).toBe(true);
    expect(scenario.guest.type === 'pv' && scenario.guest.arch === 'x86' && !scenario.guest.initialDomain).toBe(false);
    expect(crash.answers.decisions.every((decision) => decision.outcome === 'crash')).toBe(true);
  });

  it('linux-6.5 (column B, mid-2023): dom0 falls back to granting to itself', () => {
    const runs = runAll('linux-6.5');
    expect(failing(runs)).toEqual(['dom0-fallback', 'fail-closed', 'grant-dma-cells', 'no-self-grant', 'no-truncation', 'valid-domid']);
    const selfGrant = failure(runs, 'no-self-grant');
    expect(selfGrant.testCase.scenario.guest.initialDomain).toBe(true);
    expect(selfGrant.violation).toMatchObject({ code: 'self-grant', domid: 0 });
    expect(failure(runs, 'dom0-fallback').violation.code).toBe('dom0-fallback-to-self');
  });

  it('linux-2026 (column C): the fallback is fixed, the device-tree path in dom0 and the 32-bit cell are not', () => {
    const runs = runAll('linux-2026');
    expect(failing(runs)).toEqual(['fail-closed', 'grant-dma-cells', 'no-self-grant', 'no-truncation', 'valid-domid']);
    // Row 12b: only a device tree naming domid 0 makes dom0 grant to itself.
    const selfGrant = failure(runs, 'no-self-grant');
    const { scenario, expectations } = selfGrant.testCase;
    expect(scenario.guest).toMatchObject({ arch: 'arm', initialDomain: true, domid: 0 });
    const deviceId = (selfGrant.violation as { deviceId: string }).deviceId;
    expect(expectations[deviceId]!.trusted).toEqual({ kind: 'grants', domid: 0 });
    const truncated = failure(runs, 'no-truncation');
    expect(truncated.violation.code).toBe('truncated-cell');
    if (truncated.violation.code === 'truncated-cell') expect(truncated.violation.domid).toBe(truncated.violation.cell & 0xffff);
    expect(failure(runs, 'valid-domid').violation.code).toBe('reserved-domid');
  });

  it('linux-7.2 (column D): reads iommu-map per #iommu-cells, yet still takes a node without it or an old one-cell map for a two-cell node', () => {
    const runs = runAll('linux-7.2');
    expect(failing(runs)).toEqual(['fail-closed', 'grant-dma-cells', 'no-self-grant', 'no-truncation', 'valid-domid']);
    const cells = failure(runs, 'grant-dma-cells');
    expect(cells.violation.code).toBe('malformed-source-granted');
    const reason = (cells.violation as { reason: string }).reason;
    expect(reason.includes('no #iommu-cells') || reason.includes('#iommu-cells 2')).toBe(true);
  });

  it('frontends that trust a backend-written mechanism fail trusted source with a shrunk counterexample', () => {
    for (const name of ['trusts-vendor-data', 'trusts-device-register', 'trusts-new-capability'] as const) {
      const run = runPropertyInProcess(frontendPropertyById('trusted-source')!, frontends[name], settings);
      expect(run.kind, name).toBe('fail');
      if (run.kind === 'fail') {
        expect(run.violation.code).toBe('backend-controlled-domid');
        expect(run.path).not.toBe('');
      }
    }
    expect(runPropertyInProcess(frontendPropertyById('vendor-data-ignored')!, frontends['trusts-vendor-data'], settings).kind).toBe('fail');
    expect(runPropertyInProcess(frontendPropertyById('vendor-data-ignored')!, frontends['trusts-device-register'], settings).kind).toBe('pass');
  });

  it('a frontend that trusts any backend-written channel of spec/mechanisms.yaml fails trusted source and toolstack assignment', () => {
    const backendWritten = mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id);
    expect(backendWritten).toEqual(expect.arrayContaining(['common-config-field', 'virtio-iommu-backend']));
    for (const id of backendWritten) {
      const trusting = createTrustingFrontend(`trusts-${id}`, id);
      expect(runPropertyInProcess(frontendPropertyById('trusted-source')!, trusting, settings).kind, id).toBe('fail');
      expect(runPropertyInProcess(frontendPropertyById('toolstack-assignment')!, trusting, settings).kind, id).toBe('fail');
    }
  });

  it('a frontend that walks capabilities carelessly or refuses unknown features fails the metamorphic properties', () => {
    const reference = frontends.reference;
    // Takes the domid from the last capability with cfg_type >= 10 whatever its bar: PCI-DRV-07/08/10 broken.
    const careless = {
      decide: (scenario: Parameters<typeof reference.decide>[0]) =>
        scenario.devices.map((device) => {
          const hex = device.configSpace ?? '';
          const bytes = Array.from({ length: hex.length / 2 }, (_, index) => Number.parseInt(hex.slice(2 * index, 2 * index + 2), 16));
          let domid: number | undefined;
          for (let offset = 0x40; offset + 18 < bytes.length; offset += 4) if (bytes[offset] === 0x09 && bytes[offset + 3]! >= 10 && bytes[offset + 2] === 20) domid = bytes[offset + 16]! | (bytes[offset + 17]! << 8);
          return domid === undefined ? { deviceId: device.id, outcome: 'no-grants' as const } : { deviceId: device.id, outcome: 'grants' as const, backendDomid: domid };
        }),
      map: reference.map,
    };
    expect(runPropertyInProcess(frontendPropertyById('capability-walk')!, careless, settings).kind).toBe('fail');
    // Refuses any device offering a bit above the ones it knows (bit 44 and up): VIRTIO-DRV-05 broken.
    const picky = {
      decide: (scenario: Parameters<typeof reference.decide>[0]) =>
        reference.decide(scenario).map((decision, index) => (BigInt(scenario.devices[index]!.deviceFeatures) >> 44n !== 0n ? { deviceId: decision.deviceId, outcome: 'refused' as const } : decision)),
      map: reference.map,
    };
    expect(runPropertyInProcess(frontendPropertyById('unknown-features')!, picky, settings).kind).toBe('fail');
  });

  it("a frontend that maps coherent allocations exactly as Linux's coherent alloc does (whole pages, no offset) passes every grant property", () => {
    const reference = frontends.reference;
    const linuxCoherent = {
      decide: reference.decide,
      map: (scenario: Parameters<typeof reference.map>[0], request: Parameters<typeof reference.map>[1]) => {
        const result = reference.map(scenario, { ...request, buffers: request.buffers.map((buffer) => (buffer.coherent ? { ...buffer, offset: 0 } : buffer)) });
        return result;
      },
    };
    for (const id of ['grant-domid', 'grant-readonly', 'grant-dma-address', 'grant-refs', 'grant-frames'] as const) {
      expect(runPropertyInProcess(frontendPropertyById(id)!, linuxCoherent, settings).kind, id).toBe('pass');
    }
    const [sample] = fc.sample(frontendPropertyById('grant-dma-address')!.cases.filter((testCase) => testCase.request!.buffers.some((buffer) => buffer.coherent)), { seed: propertySeed, numRuns: 1 });
    expect(sample!.request!.buffers.filter((buffer) => buffer.coherent).every((buffer) => buffer.offset === 0)).toBe(true);
  });

  it('reports a frontend that throws as an error, not a failure', () => {
    const throwing = { decide: () => { throw new Error('boom'); }, map: () => { throw new Error('boom'); } };
    expect(runPropertyInProcess(frontendProperties[0]!, throwing, settings)).toMatchObject({ kind: 'error', code: 'XVC4031' });
  });
});
