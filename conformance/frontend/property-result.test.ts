import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { describeViolation, type FrontendCase, type Violation } from './invariants.ts';
import { failureMessage, propertyResult } from './property-result.ts';
import type { PropertyRun } from './run-property.ts';

const scenario = {
  guest: { domid: 7, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices: [],
  channels: {},
} as Scenario;
const testCase: FrontendCase = { scenario, expectations: {} };
const violation: Violation = { code: 'decision-count', expected: 2, actual: 1, scenario: 'scenario' };
const failed: Extract<PropertyRun, { kind: 'fail' }> = { kind: 'fail', testCase, violation, answers: { decisions: [] }, seed: 24601, path: '3:1:0' };

describe('propertyResult', () => {
  it('a pass is a pass, a declining target is inapplicable with its reason', () => {
    expect(propertyResult({ kind: 'pass', runs: 100 }, 'replay')).toEqual({ outcome: 'pass' });
    expect(propertyResult({ kind: 'skip', reason: 'no map support' }, 'replay')).toEqual({ outcome: 'inapplicable', note: 'target declined: no map support' });
  });

  it('a target failure is a harness error with its code and stderr', () => {
    expect(propertyResult({ kind: 'error', code: 'XVC4001', message: 'adapter crashed', stderr: 'segfault' }, 'replay')).toEqual({
      outcome: 'error',
      message: 'XVC4001: adapter crashed',
      evidence: [{ kind: 'harness', code: 'XVC4001', stderr: 'segfault' }],
    });
    expect(propertyResult({ kind: 'error', code: 'XVC4002', message: 'no answer' }, 'replay')).toMatchObject({ evidence: [{ kind: 'harness', code: 'XVC4002' }] });
  });

  it('a failure says what broke and how to replay it: the shrunk case, seed, path and command, and the decisions', () => {
    const result = propertyResult({ ...failed, answers: { decisions: [], variantDecisions: [] } }, 'xvc replay --target reference --property trusted-source');
    expect(result).toMatchObject({ outcome: 'fail', message: `${describeViolation(violation)} (shrunk counterexample, seed 24601, path 3:1:0)` });
    if (result.outcome !== 'fail') throw new Error('not a failure');
    expect(result.evidence[0]).toEqual({ kind: 'counterexample', scenario: { scenario, expectations: {} }, seed: 24601, path: '3:1:0', replay: 'xvc replay --target reference --property trusted-source' });
    expect(result.evidence[1]).toEqual({ kind: 'text', text: 'decisions: []\nvariant decisions: []' });
    expect(propertyResult(failed, 'r')).toMatchObject({ evidence: [{ kind: 'counterexample' }, { kind: 'text', text: 'decisions: []' }] });
  });

  it('keeps no reference to the case: the evidence is a JSON copy', () => {
    const result = propertyResult(failed, 'r');
    if (result.outcome !== 'fail') throw new Error('not a failure');
    expect((result.evidence[0] as { scenario: unknown }).scenario).not.toBe(testCase);
    expect(failureMessage(failed)).toContain('seed 24601');
  });
});
