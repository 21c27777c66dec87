import { describe, expect, it, test } from 'vitest';
import type { CaseResult, ConformanceCase, SuiteCases } from '../../conformance/conformance-case.ts';
import { parseExpectations, type Expectations } from '../../results/expectations.ts';
import { applyCaseResult, CaseFailure, declareCases } from './case-test.ts';
import type { ConformanceMeta } from './test-meta.ts';

function expectations(yaml: string): Expectations {
  const loaded = parseExpectations(yaml, 'expect.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.expectations;
}

/** Known: the model fails XEN-INV-03. */
const known = expectations('expectations:\n  - target: model:linux-6.2\n    requirement: XEN-INV-03\n    reason: grants to itself\n');

function testCase(overrides: Partial<ConformanceCase> = {}): ConformanceCase {
  return { suite: 'frontend', target: 'model:linux-6.2', groups: [], name: 'no self grant', requirements: ['XEN-INV-03'], run: async () => ({ outcome: 'pass' }), ...overrides };
}

function apply(result: CaseResult, overrides: Partial<ConformanceCase> = {}, given?: Expectations): { meta: ConformanceMeta; thrown: unknown } {
  const context = { task: { meta: {} as ConformanceMeta } };
  try {
    applyCaseResult(context as never, testCase(overrides), result, given);
    return { meta: context.task.meta, thrown: undefined };
  } catch (error) {
    return { meta: context.task.meta, thrown: error };
  }
}

const evidence = [{ kind: 'text' as const, text: 'decisions: []' }];

describe('applyCaseResult', () => {
  it('records what the run would: target, suite, mechanism, property and target metadata', () => {
    const metadata = { spec: 'reference', kind: 'reference' as const, role: 'frontend' as const, implementation: 'xvc' };
    const { meta, thrown } = apply({ outcome: 'pass', note: 'n', targetMetadata: metadata }, { mechanism: 'xenstore', property: 'trusted-source' });
    expect(thrown).toBeUndefined();
    expect(meta).toEqual({ target: 'model:linux-6.2', suite: 'frontend', mechanism: 'xenstore', property: 'trusted-source', targetMetadata: metadata, note: 'n' });
  });

  it('fails the test on an unexpected failure, with its message, keeping the evidence', () => {
    const { meta, thrown } = apply({ outcome: 'fail', message: 'granted to domid 7, its own', evidence });
    expect(thrown).toBeInstanceOf(CaseFailure);
    expect(thrown).toMatchObject({ message: 'granted to domid 7, its own', testCase: 'no self grant' });
    expect(meta.evidence).toEqual(evidence);
    expect(meta.outcome).toBeUndefined();
  });

  it('passes an expected failure as xfail, and fails a pass the expectations say should fail (xpass)', () => {
    const expected = apply({ outcome: 'fail', message: 'self grant', evidence }, {}, known);
    expect(expected.thrown).toBeUndefined();
    expect(expected.meta).toMatchObject({ outcome: 'xfail', note: 'self grant', evidence });
    const xpass = apply({ outcome: 'pass' }, {}, known);
    expect(xpass.thrown).toMatchObject({ message: 'expected to fail (XEN-INV-03: expectations file) but passed' });
  });

  it('needs every requirement of the case covered for a failure to count as expected', () => {
    const { thrown } = apply({ outcome: 'fail', message: 'm', evidence }, { requirements: ['XEN-INV-03', 'XEN-INV-02'] }, known);
    expect(thrown).toBeInstanceOf(CaseFailure);
  });

  it('claims skip, inapplicable and warning outcomes without failing, and fails a harness error', () => {
    expect(apply({ outcome: 'inapplicable', note: 'no PCI device' })).toMatchObject({ thrown: undefined, meta: { outcome: 'inapplicable', note: 'no PCI device' } });
    expect(apply({ outcome: 'skip', note: 'stopped' })).toMatchObject({ thrown: undefined, meta: { outcome: 'skip', note: 'stopped' } });
    expect(apply({ outcome: 'warning', message: 'SHOULD not met', evidence })).toMatchObject({ thrown: undefined, meta: { outcome: 'warning', note: 'SHOULD not met', evidence } });
    const error = apply({ outcome: 'error', message: 'adapter crashed', evidence });
    expect(error.thrown).toMatchObject({ message: 'harness error: adapter crashed' });
    expect(error.meta).toMatchObject({ outcome: 'error', note: 'adapter crashed' });
  });
});

// declareCases, used for real: the cases below become tests of this file, nested in their groups.
const ran: string[] = [];
let closed = 0;
const suite: SuiteCases = {
  cases: [
    testCase({ groups: ['model:linux-6.2', 'frontend'], name: 'expected failure', run: async () => (ran.push('expected failure'), { outcome: 'fail', message: 'self grant', evidence }) }),
    testCase({ groups: ['model:linux-6.2', 'frontend'], name: 'inapplicable', requirements: ['XEN-INV-02'], run: async () => (ran.push('inapplicable'), { outcome: 'inapplicable', note: 'n/a' }) }),
    testCase({ groups: [], name: 'ungrouped pass', requirements: ['XEN-INV-02'], run: async () => (ran.push('ungrouped pass'), { outcome: 'pass' }) }),
  ],
  close: async () => {
    closed += 1;
  },
};
describe('declared cases', () => {
  declareCases(suite, known);
});

test('declareCases made one test per case, in the groups named, each run once', ({ task }) => {
  expect(ran).toEqual(['expected failure', 'inapplicable', 'ungrouped pass']);
  // The suite's targets were closed after its tests.
  expect(closed).toBe(1);
  const declared = task.file.tasks.find((child) => child.name === 'declared cases')!;
  const names = (node: { name: string; tasks?: unknown[] }): unknown => (node.tasks ? { [node.name]: (node.tasks as { name: string }[]).map(names) } : node.name);
  expect(names(declared as never)).toEqual({ 'declared cases': [{ 'model:linux-6.2': [{ frontend: ['expected failure', 'inapplicable'] }] }, 'ungrouped pass'] });
});
