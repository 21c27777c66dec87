import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { recordPropertyRun, replayCommand } from './record-run.ts';
import type { PropertyRun } from '../../conformance/frontend/run-property.ts';

const contextWith = () => ({ task: { meta: {} } }) as unknown as Pick<TestContext, 'task'>;
const labels = { target: 'model:linux-6.5', suite: 'frontend' as const, property: 'no-self-grant' };
const failed: PropertyRun = {
  kind: 'fail',
  testCase: { scenario: { guest: { domid: 0, initialDomain: true, type: 'pv', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] }, devices: [], channels: {} }, expectations: {} },
  violation: { code: 'self-grant', deviceId: 'vdev0', domid: 0 },
  answers: { decisions: [{ deviceId: 'vdev0', outcome: 'grants', backendDomid: 0 }] },
  seed: 42,
  path: '3:1',
};

describe('recording a property run on the task', () => {
  it('a failure throws with the violation and leaves a counterexample with seed, path and replay command', () => {
    const context = contextWith();
    expect(() => recordPropertyRun(context, failed, labels)).toThrow(/vdev0: grants to the guest's own domid 0.*seed 42, path 3:1/);
    const meta = context.task.meta;
    expect(meta).toMatchObject({ target: 'model:linux-6.5', suite: 'frontend', property: 'no-self-grant' });
    expect(meta.evidence?.[0]).toEqual({ kind: 'counterexample', scenario: failed.testCase, seed: 42, path: '3:1', replay: 'xvc replay --target model:linux-6.5 --property no-self-grant --scenario counterexample.json' });
  });

  it('a skip is inapplicable and an error is claimed with harness evidence, neither throws', () => {
    const skipped = contextWith();
    recordPropertyRun(skipped, { kind: 'skip', reason: 'map unsupported' }, labels);
    expect(skipped.task.meta).toMatchObject({ outcome: 'inapplicable', note: 'target declined: map unsupported' });
    const errored = contextWith();
    recordPropertyRun(errored, { kind: 'error', code: 'target-timeout', message: 'no answer in 5 s', stderr: 'x' }, labels);
    expect(errored.task.meta).toMatchObject({ outcome: 'error', note: 'target-timeout: no answer in 5 s', evidence: [{ kind: 'harness', code: 'target-timeout', stderr: 'x' }] });
  });

  it('names the mechanism in the replay command of a matrix cell', () => {
    expect(replayCommand({ target: 'mechanism:xenstore', suite: 'mechanisms', property: 'fail-closed', mechanism: 'xenstore' })).toBe('xvc replay --mechanism xenstore --property fail-closed --scenario counterexample.json');
  });
});
