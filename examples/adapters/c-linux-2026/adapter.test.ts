import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../generated/ts/schema/decision.ts';
import type { MapResult } from '../../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../../generated/ts/schema/scenario.ts';
import { createExecFrontendTarget, type ExecFrontendTarget } from '../../../targets/exec.ts';
import { scenarioArbitrary, scenarioWithMapRequestArbitrary } from '../../../targets/exec/scenario-arbitrary.ts';
import { isSkip } from '../../../targets/frontend-target.ts';
import { decisionTableRows } from '../../../reference-impl/frontend/index.ts';
import { frontends } from '../../../reference-impl/frontend/registry.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { assertAnswersEveryLine } from '../line-fuzz.ts';

const here = fileURLToPath(new URL('./', import.meta.url));
const generatedC = fileURLToPath(new URL('../../../generated/c', import.meta.url));
const model = frontends['linux-2026'];
let buildDir: string;
let target: ExecFrontendTarget;

/** Reasons are prose for reports; everything else must match exactly. */
const withoutReason = <T extends { reason?: string }>(value: T): Omit<T, 'reason'> => {
  const { reason: _reason, ...rest } = value;
  return rest;
};

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'xvc-c-adapter-'));
  const binary = join(buildDir, 'adapter');
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-I', generatedC, '-o', binary, join(here, 'adapter.c'), join(here, 'json.c')]);
  target = await createExecFrontendTarget([binary], { strictProtocol: true });
});

afterAll(async () => {
  await target?.close();
  rmSync(buildDir, { recursive: true, force: true });
});

function dom0WithDtNode(cell: number): Scenario {
  return {
    guest: { domid: 0, initialDomain: true, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [{ id: 'net', transport: 'mmio', dtNode: 'virtio@2000000', deviceFeatures: '0x300000000', backendControlled: ['deviceFeatures'] }],
    channels: {
      deviceTree: {
        iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }],
        mmioNodes: [{ name: 'virtio@2000000', iommus: [65001, cell] }],
        pciHostBridges: [],
      },
    },
  };
}

describe('C example adapter (Linux 2026, decision table column C)', () => {
  it('reports who it is in the handshake', () => {
    expect(target.metadata).toMatchObject({ kind: 'exec', role: 'frontend', implementation: 'linux-2026 (C example)' });
    expect(target.started.mechanisms).toEqual(['dt-iommus', 'dt-iommu-map', 'dom0-default']);
  });

  it('keeps the defects: the DT path in dom0 grants to itself, a 32-bit cell is truncated unchecked', async () => {
    expect(await target.decide(dom0WithDtNode(0))).toMatchObject([{ outcome: 'grants', backendDomid: 0, mechanism: 'dt-iommus' }]);
    expect(await target.decide(dom0WithDtNode(0x10005))).toMatchObject([{ outcome: 'grants', backendDomid: 5 }]);
    expect(await target.decide(dom0WithDtNode(0x7ff2))).toMatchObject([{ outcome: 'grants', backendDomid: 0x7ff2 }]);
  });

  it('decides exactly like the built-in linux-2026 model', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const answered = await target.decide(scenario);
        expect(isSkip(answered)).toBe(false);
        expect((answered as Decision[]).map(withoutReason)).toEqual(model.decide(scenario).map(withoutReason));
      }),
      propertyParameters({ numRuns: 400 }),
    );
  });

  it('follows column C of the decision table on every row, a balloon refused under grants included', async () => {
    for (const row of decisionTableRows) {
      const answered = await target.decide(row.scenario);
      expect((answered as Decision[]).map(withoutReason), row.row).toEqual(model.decide(row.scenario).map(withoutReason));
    }
    const balloon = decisionTableRows.find((row) => row.row === '10-balloon')!;
    expect(await target.decide(balloon.scenario)).toMatchObject([{ outcome: 'refused' }]);
  });

  it('maps buffers exactly like the built-in linux-2026 model', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWithMapRequestArbitrary, async ({ scenario, request }) => {
        const answered = await target.map(scenario, request);
        expect(withoutReason(answered as MapResult)).toEqual(withoutReason(model.map(scenario, request)));
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('answered everything without a harness error', () => {
    expect(target.errors).toEqual([]);
  });
  it('answers every line, however malformed, with one JSON answer and never dies', () => {
    assertAnswersEveryLine([join(buildDir, 'adapter')], propertyParameters({ numRuns: 150 }));
  });
});
