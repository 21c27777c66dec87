import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../generated/ts/schema/decision.ts';
import type { MapResult } from '../../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../../generated/ts/schema/scenario.ts';
import { createExecFrontendTarget, type ExecFrontendTarget } from '../../../targets/exec.ts';
import { scenarioArbitrary, scenarioWithMapRequestArbitrary } from '../../../targets/exec/scenario-arbitrary.ts';
import { frontends } from '../../../reference-impl/frontend/registry.ts';
import { computeTargetMatrix } from '../../../conformance/mechanisms/index.ts';
import { propertyParameters, propertySeed } from '../../../test-support/fast-check-seed.ts';
import { assertAnswersEveryLine } from '../line-fuzz.ts';

const adapter = fileURLToPath(new URL('./adapter.py', import.meta.url));
const reference = frontends.reference;
let target: ExecFrontendTarget;

const withoutReason = <T extends { reason?: string }>(value: T): Omit<T, 'reason'> => {
  const { reason: _reason, ...rest } = value;
  return rest;
};

beforeAll(async () => {
  target = await createExecFrontendTarget(['python3', adapter], { strictProtocol: true });
});
afterAll(async () => {
  await target?.close();
});

function armGuestWithMmio(iommus: number[]): Scenario {
  return {
    guest: { domid: 3, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: true }, bootParameters: [] },
    devices: [{ id: 'net', transport: 'mmio', dtNode: 'virtio@2000000', deviceFeatures: '0x300000000', backendControlled: ['deviceFeatures'] }],
    channels: {
      deviceTree: { iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }], mmioNodes: [{ name: 'virtio@2000000', iommus }], pciHostBridges: [] },
    },
  };
}

describe('Python example adapter (reference frontend behaviour)', () => {
  it('reports who it is and the mechanisms it reads', () => {
    expect(target.metadata).toMatchObject({ kind: 'exec', role: 'frontend', implementation: 'xvc reference frontend (Python example)' });
    expect(target.started.mechanisms).toContain('dt-iommus');
    expect(target.started.mechanisms).not.toContain('dom0-default');
  });

  it('fails closed where Linux does not: truncating cells, reserved domids and its own domid are refused', async () => {
    expect(await target.decide(armGuestWithMmio([65001, 5]))).toMatchObject([{ outcome: 'grants', backendDomid: 5, mechanism: 'dt-iommus' }]);
    expect(await target.decide(armGuestWithMmio([65001, 0x10005]))).toMatchObject([{ outcome: 'refused', mechanism: 'dt-iommus' }]);
    expect(await target.decide(armGuestWithMmio([65001, 0x7ff2]))).toMatchObject([{ outcome: 'refused' }]);
    expect(await target.decide(armGuestWithMmio([65001, 3]))).toMatchObject([{ outcome: 'refused' }]);
  });

  it('decides exactly like the built-in reference frontend', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const answered = (await target.decide(scenario)) as Decision[];
        expect(answered.map(withoutReason)).toEqual(reference.decide(scenario).map(withoutReason));
      }),
      propertyParameters({ numRuns: 500 }),
    );
  });

  it('maps buffers exactly like the built-in reference frontend', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWithMapRequestArbitrary, async ({ scenario, request }) => {
        const answered = (await target.map(scenario, request)) as MapResult;
        expect(withoutReason(answered)).toEqual(withoutReason(reference.map(scenario, request)));
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('answered everything without a harness error', () => {
    expect(target.errors).toEqual([]);
  });
  it('answers every line, however malformed, with one JSON answer and never dies', () => {
    assertAnswersEveryLine(['python3', adapter], propertyParameters({ numRuns: 25 }));
  });
});

describe('Python example adapter: its own mechanism matrix', () => {
  it('is judged on every mechanism it declares (and the dom0less map that reuses the iommu-map format), ignores the others, and is red only where the reference is', async () => {
    const settings = { seed: propertySeed, numRuns: 15 };
    const declared = target.metadata.mechanisms ?? [];
    expect(declared).toEqual(target.started.mechanisms);
    const mine = await computeTargetMatrix(target, declared, settings);
    expect(mine.filter((cell) => cell.run.kind === 'error')).toEqual([]);
    expect(mine.some((cell) => cell.mechanism === 'dt-iommu-map-dom0less' && cell.declared)).toBe(true);
    const asTarget = { decide: async (scenario: Scenario) => reference.decide(scenario), map: async (scenario: Scenario, request: Parameters<typeof reference.map>[1]) => reference.map(scenario, request) };
    const theirs = await computeTargetMatrix(asTarget, declared, settings);
    const red = (cells: typeof mine) => cells.filter((cell) => cell.run.kind === 'fail').map((cell) => `${cell.mechanism} ${cell.property}`).sort();
    expect(red(mine)).toEqual(red(theirs));
  }, 300_000);
});
