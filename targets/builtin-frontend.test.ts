import { describe, expect, it } from 'vitest';
import type { Decision } from '../generated/ts/schema/decision.ts';
import type { MapRequest } from '../generated/ts/schema/map-request.ts';
import type { MapResult } from '../generated/ts/schema/map-result.ts';
import type { Scenario } from '../generated/ts/schema/scenario.ts';
import type { Frontend } from '../reference-impl/frontend/index.ts';
import { builtinFrontendTarget } from './builtin-frontend.ts';

const scenario: Scenario = {
  guest: { domid: 1, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices: [{ id: 'net', transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] }],
  channels: {},
};
const request: MapRequest = { deviceId: 'net', buffers: [{ frame: 16, offset: 0, length: 4096, direction: 'to-device', coherent: false }] };

/** A frontend that answers with fixed values and records what it was asked. */
function stubFrontend(name: string) {
  const calls: unknown[] = [];
  const decisions: Decision[] = [{ deviceId: 'net', outcome: 'no-grants' } as Decision];
  const mapped = { grants: [] } as unknown as MapResult;
  const frontend: Frontend = {
    name,
    mechanisms: ['xenstore'],
    decide: (given) => {
      calls.push(['decide', given]);
      return decisions;
    },
    map: (given, asked) => {
      calls.push(['map', given, asked]);
      return mapped;
    },
  };
  return { frontend, calls, decisions, mapped };
}

describe('builtinFrontendTarget', () => {
  it('answers with what the frontend decides and maps, for the scenario and request it was given', async () => {
    const stub = stubFrontend('linux-6.5');
    const target = builtinFrontendTarget('model:linux-6.5', stub.frontend, 'model');
    expect(await target.decide(scenario)).toBe(stub.decisions);
    expect(await target.map(scenario, request)).toBe(stub.mapped);
    expect(stub.calls).toEqual([
      ['decide', scenario],
      ['map', scenario, request],
    ]);
    await expect(target.close()).resolves.toBeUndefined();
  });

  it('describes a model by the frontend it models, and records the mechanisms it reads', () => {
    const stub = stubFrontend('linux-6.5');
    const { metadata } = builtinFrontendTarget('model:linux-6.5', stub.frontend, 'model');
    expect(metadata).toMatchObject({ spec: 'model:linux-6.5', kind: 'model', role: 'frontend', implementation: 'xvc model of linux-6.5', mechanisms: ['xenstore'] });
    expect(metadata.description).toContain('linux-6.5');
    // A copy: the frontend's own list is not shared with the results.
    expect(metadata.mechanisms).not.toBe(stub.frontend.mechanisms);
  });

  it('describes the reference frontend as such', () => {
    const { metadata } = builtinFrontendTarget('reference', stubFrontend('reference').frontend, 'reference');
    expect(metadata).toMatchObject({ spec: 'reference', kind: 'reference', implementation: 'xvc reference frontend' });
    expect(metadata.description).toMatch(/fails closed/);
  });
});
