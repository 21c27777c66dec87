/**
 * What a conformance suite file asks of the run it belongs to: the plan (targets, seed, runs).
 * Under `xvc run` the plan arrives through vitest's `inject`; when a suite file is run directly with
 * vitest (development), a default plan stands in so the file still runs.
 */
import { packageRoot } from '../../core/package-root.ts';
import { inject } from 'vitest';
import { resolve } from 'node:path';
import { builtinModels, defaultRuns, suiteNames, type RunPlan } from '../../conformance/run-plan.ts';
import { parseTargetSpec, type TargetSpec } from '../../targets/target-spec.ts';
import { seedFromEnvironment } from '../../core/seed.ts';

/** The default plan: every suite against the reference and the built-in models. */
export function defaultPlan(repoRoot: string): RunPlan {
  return {
    targets: ['reference', ...builtinModels.map((model) => `model:${model}`)],
    suites: [...suiteNames],
    requirements: [],
    seed: seedFromEnvironment(),
    runs: defaultRuns,
    outDir: resolve(repoRoot, 'xvc-report'),
    repoRoot,
    commandLine: ['vitest'],
  };
}

/** The plan of the current run. */
export function currentPlan(): RunPlan {
  let provided: RunPlan | undefined;
  try {
    provided = inject('xvcRun');
  } catch {
    provided = undefined;
  }
  return provided ?? defaultPlan(packageRoot);
}

/** The plan's targets that can play `role`, parsed. */
export function targetsFor(plan: RunPlan, role: 'device' | 'frontend'): TargetSpec[] {
  return plan.targets.map(parseTargetSpec).filter((target) => (target.roles as string[]).includes(role));
}

/** fast-check parameters for a property in this run: the plan's seed and runs, shrinking on. */
export function runParameters(plan: RunPlan): { seed: number; numRuns: number } {
  return { seed: plan.seed, numRuns: plan.runs };
}

/** How the plan says exec: adapters are started (strictness, explicit environment). */
export function adapterSettings(plan: RunPlan): { strictProtocol?: boolean; env?: Record<string, string> } {
  return {
    ...(plan.strictProtocol !== undefined && { strictProtocol: plan.strictProtocol }),
    ...(plan.adapterEnv !== undefined && { env: plan.adapterEnv }),
  };
}
