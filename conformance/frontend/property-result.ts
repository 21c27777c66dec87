/**
 * A property run as a case result: a counterexample with its seed, path and decisions on failure, a
 * target that declined as inapplicable, a target failure as a harness error with its stderr.
 */
import type { CaseResult } from '../conformance-case.ts';
import { describeViolation } from './invariants.ts';
import type { PropertyRun } from './run-property.ts';

/** The failure message of a failed run. */
export function failureMessage(run: Extract<PropertyRun, { kind: 'fail' }>): string {
  return `${describeViolation(run.violation)} (shrunk counterexample, seed ${run.seed}, path ${run.path})`;
}

/**
 * The result of `run`. `replay` is the command that re-runs the counterexample; the run that writes
 * the results knows the record and the file, so it may replace it.
 */
export function propertyResult(run: PropertyRun, replay: string): CaseResult {
  switch (run.kind) {
    case 'pass':
      return { outcome: 'pass' };
    case 'skip':
      return { outcome: 'inapplicable', note: `target declined: ${run.reason}` };
    case 'error':
      return {
        outcome: 'error',
        message: `${run.code}: ${run.message}`,
        evidence: [{ kind: 'harness', code: run.code, ...(run.stderr !== undefined && { stderr: run.stderr }) }],
      };
    case 'fail':
      return {
        outcome: 'fail',
        message: failureMessage(run),
        evidence: [
          { kind: 'counterexample', scenario: JSON.parse(JSON.stringify(run.testCase)) as object, seed: run.seed, path: run.path, replay },
          {
            kind: 'text',
            text: `decisions: ${JSON.stringify(run.answers.decisions)}${run.answers.variantDecisions ? `\nvariant decisions: ${JSON.stringify(run.answers.variantDecisions)}` : ''}`,
          },
        ],
      };
  }
}
