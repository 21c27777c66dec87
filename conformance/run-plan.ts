/**
 * What one `xvc run` does, as plain data (strings and numbers only, so that a vitest configuration
 * can hand it to the suite files as it is).
 */

/** Suites xvc knows; each is one engine here and one file suites/<name>.suite.ts. */
export const suiteNames = ['layouts', 'device', 'frontend', 'mechanisms', 'driver'] as const;
/** One suite name. */
export type SuiteName = (typeof suiteNames)[number];

/** Suites that judge a target; the others (layouts, mechanisms) check xvc's own codecs and designs. */
export const targetSuites: readonly SuiteName[] = suiteNames.filter((suite) => suite !== 'layouts' && suite !== 'mechanisms');

import { resolve } from 'node:path';
import { parseIntegerOption } from '../core/integer-option.ts';
import { seedFromEnvironment } from '../core/seed.ts';
import { builtinModels } from '../targets/target-spec.ts';

export { builtinModels };

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
  /** `i/n`: run only the i-th of n even parts of the cases (by target and test). */
  shard?: string;
  /** The user's expectations files (known failures that become xfail), added to the built-in ones. */
  expectations: string[];
  /** Whether the built-in expectations (the models' known defects, the red mechanism cells) apply. */
  builtinExpectations: boolean;
  /** Warnings fail the gate too. */
  strict?: boolean;
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

/** Most fast-check runs per property a run accepts: more would not finish in a working day. */
export const maxRuns = 100_000;

/**
 * The `--runs` of every command that takes one (xvc run, xvc mechanisms): {@link defaultRuns} when
 * not given, else a whole decimal number from 1 to {@link maxRuns}; anything else throws
 * OptionValueError (a usage error, exit 2).
 */
export function parseRunsOption(text: string | undefined): number {
  return text === undefined ? defaultRuns : parseIntegerOption('--runs', text, { min: 1, max: maxRuns });
}

/** Whether `value` is a number of runs a run accepts (1 to {@link maxRuns}): for one read from a results file, untrusted JSON. */
export function isRunsCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= maxRuns;
}

/** The default plan: every suite against the reference and the built-in models. */
export function defaultPlan(repoRoot: string, commandLine: string[] = ['xvc', 'run']): RunPlan {
  return {
    targets: ['reference', ...builtinModels.map((model) => `model:${model}`)],
    suites: [...suiteNames],
    requirements: [],
    expectations: [],
    builtinExpectations: true,
    seed: seedFromEnvironment(),
    runs: defaultRuns,
    outDir: resolve(repoRoot, 'xvc-report'),
    repoRoot,
    commandLine,
  };
}
