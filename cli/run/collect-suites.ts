/**
 * Collects (without running) every conformance test of the suites, with the requirement ids each
 * names, for the coverage listing of `xvc requirements` and the CI coverage gate.
 */
import { createVitest } from 'vitest/node';
import { collectFromTestModules, type RequirementTest } from '../../conformance/coverage.ts';
import type { RunPlan } from '../../conformance/run-plan.ts';

/** The tests the plan's suites declare, with their requirement ids, and any file that failed to load. */
export async function collectSuiteTests(plan: RunPlan): Promise<{ tests: RequirementTest[]; errors: string[] }> {
  const vitest = await createVitest(
    'test',
    { config: false, root: plan.repoRoot, watch: false, provide: { xvcRun: plan }, passWithNoTests: true, reporters: [] },
    { test: { include: plan.suites.map((suite) => `suites/${suite}.suite.ts`), pool: 'threads' } },
  );
  try {
    const collected = await vitest.collect();
    const errors = collected.unhandledErrors.map((error) => String((error as { message?: unknown }).message ?? error));
    for (const module of collected.testModules) {
      for (const error of module.errors()) errors.push(`${module.moduleId}: ${error.message}`);
    }
    return { tests: collectFromTestModules(collected.testModules), errors };
  } finally {
    await vitest.close();
  }
}
