/**
 * What one `xvc run` does, as plain data: it crosses the process boundary into vitest's workers
 * through `provide`/`inject`, so it holds only strings and numbers.
 */

/** Suites xvc knows, by directory under suites/. */
export const suiteNames = ['layouts', 'device', 'frontend', 'mechanisms'] as const;
/** One suite name. */
export type SuiteName = (typeof suiteNames)[number];

export { builtinModels } from '../targets/target-spec.ts';

/** A run's plan. */
export interface RunPlan {
  /** Target specs as the user wrote them, e.g. `reference`, `model:linux-2026`, `dump:x.txt`. */
  targets: string[];
  suites: SuiteName[];
  /** Only tests tagged with one of these requirement ids (empty: all). */
  requirements: string[];
  /** fast-check seed for every property. */
  seed: number;
  /** fast-check runs per property. */
  runs: number;
  outDir: string;
  /** `i/n` shard of the test files, as vitest understands it. */
  shard?: string;
  /** Expectations file that turns known failures into xfail. */
  expectations?: string;
  /** Repository root, so suites can find spec/ and fixtures/. */
  repoRoot: string;
  /** The command line, for provenance. */
  commandLine: string[];
  /** exec: targets reject answers with fields the protocol schemas do not define. */
  strictProtocol?: boolean;
  /** Environment given to exec: adapters (nothing else from xvc's environment but PATH). */
  adapterEnv?: Record<string, string>;
}

/** Default number of fast-check runs per property: enough to find the known defects, fast enough for < 10 s. */
export const defaultRuns = 100;

declare module 'vitest' {
  export interface ProvidedContext {
    xvcRun: RunPlan;
  }
}
