import { describe, expect, it } from 'vitest';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapResult } from '../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import type { FrontendTarget, TargetSkip } from '../../targets/frontend-target.ts';
import { answerCase, answerCaseWithTarget, violationOf } from './evaluate.ts';
import type { FrontendCase } from './invariants.ts';
import type { FrontendProperty } from './properties.ts';

function scenario(domid: number): Scenario {
  return {
    guest: { domid, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [{ id: 'net', transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] }],
    channels: {},
  };
}
const request = { deviceId: 'net', buffers: [{ frame: 1, offset: 0, length: 16, direction: 'to-device' as const, coherent: false }] };
const decisionsFor = (given: Scenario): Decision[] => [{ deviceId: `decided-for-${given.guest.domid}`, outcome: 'no-grants' } as Decision];
const mapped = { grants: [] } as unknown as MapResult;

/** A frontend that answers from the scenario it is given, so a test sees which scenario was asked. */
const frontend = { decide: decisionsFor, map: () => mapped };

describe('answerCase', () => {
  it('asks for the scenario, the variant only when there is one, the map only when there is a request', () => {
    const base: FrontendCase = { scenario: scenario(1), expectations: {} };
    expect(answerCase(frontend, base)).toEqual({ decisions: decisionsFor(scenario(1)) });
    expect(answerCase(frontend, { ...base, variant: scenario(2), request })).toEqual({ decisions: decisionsFor(scenario(1)), variantDecisions: decisionsFor(scenario(2)), mapResult: mapped });
  });
});

describe('answerCaseWithTarget', () => {
  const skip: TargetSkip = { skip: true, reason: 'mechanism not implemented' };
  function target(skipAt?: 'scenario' | 'variant' | 'map') {
    const asked: string[] = [];
    const answering: Pick<FrontendTarget, 'decide' | 'map'> = {
      decide: async (given) => {
        const which = given.guest.domid === 1 ? 'scenario' : 'variant';
        asked.push(which);
        return skipAt === which ? skip : decisionsFor(given);
      },
      map: async () => {
        asked.push('map');
        return skipAt === 'map' ? skip : mapped;
      },
    };
    return { answering, asked };
  }
  const full: FrontendCase = { scenario: scenario(1), variant: scenario(2), request, expectations: {} };

  it('gives every answer of a target that declines nothing', async () => {
    const { answering, asked } = target();
    expect(await answerCaseWithTarget(answering, full)).toEqual({ decisions: decisionsFor(scenario(1)), variantDecisions: decisionsFor(scenario(2)), mapResult: mapped });
    expect(asked).toEqual(['scenario', 'variant', 'map']);
  });

  it('stops at the first skip and returns it', async () => {
    for (const [at, expectedAsked] of [
      ['scenario', ['scenario']],
      ['variant', ['scenario', 'variant']],
      ['map', ['scenario', 'variant', 'map']],
    ] as const) {
      const { answering, asked } = target(at);
      expect(await answerCaseWithTarget(answering, full), at).toBe(skip);
      expect(asked, at).toEqual(expectedAsked);
    }
  });

  it('lets a target error through to the caller', async () => {
    const failing = { decide: async () => Promise.reject(new Error('adapter died')), map: async () => mapped };
    await expect(answerCaseWithTarget(failing, full)).rejects.toThrow('adapter died');
  });
});

describe('violationOf', () => {
  it("is the property's verdict on the frontend's answers to the case", () => {
    const property = { check: (_: FrontendCase, answers: { decisions: Decision[] }) => (answers.decisions[0]!.deviceId === 'decided-for-13' ? { code: 'decision-count', expected: 2, actual: 1, scenario: 'scenario' } : undefined) } as unknown as FrontendProperty;
    expect(violationOf(property, frontend, { scenario: scenario(13), expectations: {} })).toEqual({ code: 'decision-count', expected: 2, actual: 1, scenario: 'scenario' });
    expect(violationOf(property, frontend, { scenario: scenario(1), expectations: {} })).toBeUndefined();
  });
});
