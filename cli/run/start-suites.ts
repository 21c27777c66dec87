/**
 * Runs the conformance suites in vitest, in-process, with the plan handed to the test workers via
 * `provide`. vitest gives us isolation, fast-check integration, sharding and filtering for free.
 */
import { startVitest } from 'vitest/node';
import type { RunPlan } from '../../conformance/run-plan.ts';
import { ResultCollector, type ResultListener } from './result-collector.ts';
import { ProgressReporter } from './progress-reporter.ts';

/** Outcome of running the suites. */
export interface SuiteRun {
  collector: ResultCollector;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Starts vitest on the plan's suites and waits for it; results arrive through `listener` as they finish. */
export async function startSuites(plan: RunPlan, listener: ResultListener, progress: (text: string) => void): Promise<SuiteRun> {
  const collector = new ResultCollector(plan.repoRoot, listener);
  const include = plan.suites.map((suite) => `suites/${suite}.suite.ts`);
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: plan.repoRoot,
      watch: false,
      reporters: [collector, new ProgressReporter(progress)],
      provide: { xvcRun: plan },
      ...(plan.shard !== undefined && { shard: plan.shard }),
      ...(plan.requirements.length > 0 && { testNamePattern: new RegExp(plan.requirements.map(escapeRegExp).join('|')) }),
      passWithNoTests: true,
      silent: true,
    },
    {
      test: {
        include,
        // Suites drive external processes (QEMU, adapters) that bound their own waits; this is a
        // backstop so a bug can never hang a run.
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: 'threads',
      },
    },
  );
  await vitest?.close();
  return { collector };
}
