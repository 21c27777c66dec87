/**
 * What a suite file asks of the run it belongs to: the plan (targets, seed, runs). A vitest
 * configuration may provide one (`provide: { xvcRun }`, as suites/device.vitest.config.ts does);
 * otherwise the default plan stands in, which is what `npm test` runs.
 */
import { inject } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { defaultPlan, type RunPlan } from '../../conformance/run-plan.ts';
import type { Expectations } from '../../results/expectations.ts';
import { runExpectations } from '../../results/run-expectations.ts';

/** The plan of the current run. */
export function currentPlan(): RunPlan {
  let provided: RunPlan | undefined;
  try {
    provided = inject('xvcRun');
  } catch {
    provided = undefined;
  }
  return provided ?? defaultPlan(packageRoot, ['vitest']);
}

declare module 'vitest' {
  export interface ProvidedContext {
    xvcRun: RunPlan;
  }
}

/** The built-in expectations for the plan's targets (the models' known defects, the red mechanism cells). */
export function builtinExpectations(plan: RunPlan): Expectations | undefined {
  const loaded = runExpectations({ files: [], builtin: true, targets: [...plan.targets, 'mechanism:*'] });
  if (!loaded.ok) throw new Error(`the built-in expectations do not load: ${loaded.problems.map((problem) => problem.message).join('; ')}`);
  return loaded.expectations;
}
