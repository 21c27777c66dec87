/**
 * Turning a property run into what the run's reporter reads from a vitest task (suites/support/test-meta.ts):
 * target, suite, property (and mechanism), and on failure a counterexample with its seed, path and the
 * `xvc replay` command; a skip becomes `inapplicable`, a target failure `error` with harness evidence.
 */
import type { TestContext } from 'vitest';
import { describeViolation } from '../../conformance/frontend/index.ts';
import type { PropertyRun } from '../../conformance/frontend/index.ts';

/** Where a run belongs. */
export interface RunLabels {
  target: string;
  suite: 'frontend' | 'mechanisms';
  property: string;
  mechanism?: string;
}

/** The `xvc replay` command that re-runs a counterexample saved to `file`. */
export function replayCommand(labels: RunLabels, file = 'counterexample.json'): string {
  const who = labels.mechanism !== undefined ? `--mechanism ${labels.mechanism}` : `--target ${labels.target}`;
  return `xvc replay ${who} --property ${labels.property} --scenario ${file}`;
}

/** The failure message of a failed run. */
export function failureMessage(run: Extract<PropertyRun, { kind: 'fail' }>): string {
  return `${describeViolation(run.violation)} (shrunk counterexample, seed ${run.seed}, path ${run.path})`;
}

/** Sets the task meta for `run`; throws (failing the test) when the run found a counterexample. */
export function recordPropertyRun(context: Pick<TestContext, 'task'>, run: PropertyRun, labels: RunLabels): void {
  const meta = context.task.meta;
  meta.target = labels.target;
  meta.suite = labels.suite;
  meta.property = labels.property;
  if (labels.mechanism !== undefined) meta.mechanism = labels.mechanism;
  switch (run.kind) {
    case 'pass':
      return;
    case 'skip':
      meta.outcome = 'inapplicable';
      meta.note = `target declined: ${run.reason}`;
      return;
    case 'error':
      meta.outcome = 'error';
      meta.note = `${run.code}: ${run.message}`;
      meta.evidence = [{ kind: 'harness', code: run.code, ...(run.stderr !== undefined && { stderr: run.stderr }) }];
      return;
    case 'fail':
      meta.evidence = [
        {
          kind: 'counterexample',
          scenario: JSON.parse(JSON.stringify(run.testCase)) as object,
          seed: run.seed,
          path: run.path,
          replay: replayCommand(labels),
        },
        { kind: 'text', text: `decisions: ${JSON.stringify(run.answers.decisions)}${run.answers.variantDecisions ? `\nvariant decisions: ${JSON.stringify(run.answers.variantDecisions)}` : ''}` },
      ];
      throw new Error(failureMessage(run));
  }
}
