/**
 * Declaring the cases of a suite as vitest tests: one `conformance()` test per case (so its
 * requirement ids are checked and recorded), nested in describe blocks named after the case's
 * groups. A case's result becomes the test's outcome: a failure fails the test with its message,
 * and what the run's results would hold (target, outcome, note, evidence) lands in `task.meta`.
 */
import { XvcError } from '../../core/xvc-error.ts';
import { afterAll, describe, type TestContext } from 'vitest';
import type { CaseResult, ConformanceCase, SuiteCases } from '../../conformance/conformance-case.ts';
import type { Expectations } from '../../results/expectations.ts';
import { expectedOutcome } from '../../results/run-expectations.ts';
import { conformance } from './requirement-test.ts';
import './test-meta.ts';

/** A failed case, thrown so vitest marks the test failed. */
export class CaseFailure extends XvcError<'caseFailed'> {
  constructor(
    readonly testCase: string,
    message: string,
  ) {
    super('caseFailed', message, { testCase });
  }
}

/**
 * Puts `result` on the task; throws {@link CaseFailure} for an unexpected `fail`, for a pass that
 * `expectations` say should fail (xpass), and for `error`, which is no verdict. A failure the
 * expectations cover for every requirement of the case is an expected failure: the test passes.
 */
export function applyCaseResult(context: Pick<TestContext, 'task'>, testCase: ConformanceCase, result: CaseResult, expectations?: Expectations): void {
  const meta = context.task.meta;
  meta.target = testCase.target;
  meta.suite = testCase.suite;
  if (testCase.mechanism !== undefined) meta.mechanism = testCase.mechanism;
  if (testCase.property !== undefined) meta.property = testCase.property;
  if (result.targetMetadata !== undefined) meta.targetMetadata = result.targetMetadata;
  switch (result.outcome) {
    case 'pass': {
      if (result.note !== undefined) meta.note = result.note;
      const xpass = testCase.requirements.filter((requirement) => expectedOutcome(expectations, { target: testCase.target, requirement, ...(testCase.mechanism !== undefined && { mechanism: testCase.mechanism }), outcome: 'pass' }) === 'xpass');
      if (xpass.length > 0) throw new CaseFailure(testCase.name, `expected to fail (${xpass.join(', ')}: expectations file) but passed`);
      return;
    }
    case 'inapplicable':
    case 'skip':
      meta.outcome = result.outcome;
      meta.note = result.note;
      return;
    case 'warning':
      meta.outcome = 'warning';
      meta.note = result.message;
      meta.evidence = [...result.evidence];
      return;
    case 'error':
      meta.outcome = 'error';
      meta.note = result.message;
      meta.evidence = [...result.evidence];
      throw new CaseFailure(testCase.name, `harness error: ${result.message}`);
    case 'fail': {
      meta.evidence = [...result.evidence];
      const expected = testCase.requirements.every((requirement) => expectedOutcome(expectations, { target: testCase.target, requirement, ...(testCase.mechanism !== undefined && { mechanism: testCase.mechanism }), outcome: 'fail' }) === 'xfail');
      if (expected) {
        meta.outcome = 'xfail';
        meta.note = result.message;
        return;
      }
      throw new CaseFailure(testCase.name, result.message);
    }
  }
}

/** Declares one test per case, grouped; closes the suite's targets after the file. */
export function declareCases(suite: SuiteCases, expectations?: Expectations): void {
  afterAll(() => suite.close());
  const byGroup = new Map<string, ConformanceCase[]>();
  for (const testCase of suite.cases) {
    const key = JSON.stringify(testCase.groups);
    const list = byGroup.get(key) ?? [];
    list.push(testCase);
    byGroup.set(key, list);
  }
  for (const [key, cases] of byGroup) {
    const declare = (): void => {
      for (const testCase of cases) {
        conformance(testCase.requirements, testCase.name, async (context) => applyCaseResult(context, testCase, await testCase.run(), expectations));
      }
    };
    const groups = JSON.parse(key) as string[];
    const nest = (depth: number): void => {
      if (depth === groups.length) declare();
      else describe(groups[depth]!, () => nest(depth + 1));
    };
    nest(0);
  }
}
