import { describe, expect, it } from 'vitest';
import { TargetError } from '../../targets/device-target.ts';
import type { FrontendTarget } from '../../targets/frontend-target.ts';
import { frontends } from '../../reference-impl/frontend/registry.ts';
import { frontendPropertyById } from './properties.ts';
import { runPropertyOnTarget } from './run-property.ts';

const settings = { seed: 11, numRuns: 50 };
const asTarget = (frontend: (typeof frontends)['reference']): Pick<FrontendTarget, 'decide' | 'map'> => ({
  decide: async (scenario) => frontend.decide(scenario),
  map: async (scenario, request) => frontend.map(scenario, request),
});

describe('running a property against a target', () => {
  it('passes the reference and fails linux-6.5 with a shrunk case, seed and path', async () => {
    const property = frontendPropertyById('no-self-grant')!;
    expect(await runPropertyOnTarget(property, asTarget(frontends.reference), settings)).toEqual({ kind: 'pass', runs: 50 });
    const run = await runPropertyOnTarget(property, asTarget(frontends['linux-6.5']), settings);
    expect(run.kind).toBe('fail');
    if (run.kind === 'fail') {
      expect(run.seed).toBe(11);
      expect(run.path).toMatch(/^\d+(:\d+)*$/);
      expect(run.violation).toMatchObject({ code: 'self-grant', domid: 0 });
      expect(run.answers.decisions.some((decision) => decision.outcome === 'grants' && decision.backendDomid === 0)).toBe(true);
    }
  });

  it('a target that declines is a skip, one that fails is an error with its code and stderr', async () => {
    const property = frontendPropertyById('trusted-source')!;
    const declining = { decide: async () => ({ skip: true as const, reason: 'no decide' }), map: async () => ({ skip: true as const, reason: 'no map' }) };
    expect(await runPropertyOnTarget(property, declining, settings)).toEqual({ kind: 'skip', reason: 'no decide' });
    let calls = 0;
    const crashing = {
      decide: async () => {
        calls++;
        throw new TargetError('targetCrashed', 'adapter exited with 139', { stderr: 'Segmentation fault' });
      },
      map: async () => ({ skip: true as const, reason: 'unused' }),
    };
    expect(await runPropertyOnTarget(property, crashing, settings)).toEqual({ kind: 'error', code: 'XVC4001', message: 'adapter exited with 139', stderr: 'Segmentation fault' });
    expect(calls).toBe(1);
  });

  it('an answer of the wrong shape is a counterexample, not a crash of xvc', async () => {
    const property = frontendPropertyById('no-self-grant')!;
    const silent = { decide: async () => [], map: async () => ({ skip: true as const, reason: 'unused' }) };
    const run = await runPropertyOnTarget(property, silent, settings);
    expect(run.kind).toBe('fail');
    if (run.kind === 'fail') expect(run.violation.code).toBe('decision-count');
  });
});
