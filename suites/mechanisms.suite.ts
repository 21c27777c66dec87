/**
 * The mechanism suite: one test per dynamic cell of the mechanism × property matrix
 * (conformance/mechanisms/matrix.ts), so that every red cell reaches the results with its counterexample.
 * The target of a cell is `mechanism:<id>`: the reference policy reading that mechanism only.
 */
import { describe } from 'vitest';
import { mechanisms } from '../generated/ts/mechanisms.ts';
import { currentPlan, runParameters } from './support/suite-context.ts';
import { recordPropertyRun } from './support/record-run.ts';
import { conformance } from './support/requirement-test.ts';
import { mechanismProperties, runMechanismCell } from '../conformance/mechanisms/index.ts';

const plan = currentPlan();
const settings = runParameters(plan);

for (const mechanism of mechanisms) {
  describe(`mechanism ${mechanism.id}`, () => {
    for (const property of mechanismProperties) {
      // A column about other mechanisms has no test here; the matrix shows its cell as n/a.
      if (property.appliesTo && !property.appliesTo(mechanism)) continue;
      const ids = property.requirements(mechanism);
      conformance(ids, `${ids.join(' ')} ${mechanism.id}: ${property.title}`, (context) => {
        const labels = { target: `mechanism:${mechanism.id}`, suite: 'mechanisms' as const, property: property.id, mechanism: mechanism.id };
        context.task.meta.targetMetadata = {
          spec: labels.target,
          kind: 'reference',
          role: 'frontend',
          implementation: `xvc reference policy reading ${mechanism.id} only`,
          description: `${mechanism.title}; value written by ${mechanism.writer} (spec/mechanisms.yaml)`,
        };
        const run = runMechanismCell(mechanism.id, property.id, settings);
        if (run.kind === 'inapplicable') {
          recordPropertyRun(context, { kind: 'skip', reason: run.reason }, labels);
          context.task.meta.note = run.reason;
          return;
        }
        if (run.kind === 'static-fail') {
          recordPropertyRun(context, { kind: 'pass', runs: 0 }, labels);
          context.task.meta.evidence = [{ kind: 'text', text: run.reason }];
          throw new Error(run.reason);
        }
        recordPropertyRun(context, run, labels);
      });
    }
  });
}
