/**
 * Running one frontend property against one frontend with fast-check's `check` (not `assert`), so a
 * failure comes back as data: the shrunk case, the violation it produces, the seed and the path that
 * replay it. A target that declines is a skip; a target that fails (crash, timeout, protocol) is an
 * error, never a failed property.
 */
import fc from 'fast-check';
import { diagnostics, type DiagnosticCode } from '../../core/diagnostics.ts';
import type { Frontend } from '../../reference-impl/frontend/index.ts';
import { TargetError } from '../../targets/device-target.ts';
import { isSkip, type FrontendTarget } from '../../targets/frontend-target.ts';
import { answerCase, answerCaseWithTarget } from './evaluate.ts';
import type { CaseAnswers, FrontendCase, Violation } from './invariants.ts';
import type { FrontendProperty } from './properties.ts';

/** fast-check settings of one property run. */
export interface RunSettings {
  seed: number;
  numRuns: number;
  /** Stops a run in progress (the property ends as a skip). */
  signal?: AbortSignal;
}

/** Cases between two yields to the event loop in a run against a target. */
const YIELD_EVERY = 64;

/** How a property run ended. */
export type PropertyRun =
  | { kind: 'pass'; runs: number }
  | { kind: 'fail'; testCase: FrontendCase; violation: Violation; answers: CaseAnswers; seed: number; path: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; code: DiagnosticCode; message: string; stderr?: string };

/** Thrown inside a property to stop the run without counting as a counterexample. */
class StopRun extends Error {
  constructor(readonly outcome: Extract<PropertyRun, { kind: 'skip' | 'error' }>) {
    super(outcome.kind);
  }
}

function errorRun(error: unknown): Extract<PropertyRun, { kind: 'error' }> {
  if (error instanceof TargetError) return { kind: 'error', code: error.code, message: error.message, ...(error.details.stderr !== undefined && { stderr: error.details.stderr }) };
  return { kind: 'error', code: diagnostics.frontendThrew.code, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Generated cases held at once, over all arbitraries (a few KiB each): enough for every property and
 * matrix cell of a default run (about 120 arbitraries of 100 cases) to be shared by all its frontends.
 * Beyond it the least recently used arbitrary's cases go.
 */
export const SHARED_CASES_LIMIT = 25_000;

/**
 * Runs per property up to which cases are shared. Longer runs are not held at all: `--runs 2000`
 * held 20,000 cases in 500 MB, so they stream their cases as fast-check generates them.
 */
export const SHARED_RUNS_LIMIT = 250;

/** The generated cases of each arbitrary at its latest (seed, runs), least recently used first. */
const generated = new Map<fc.Arbitrary<FrontendCase>, { key: string; cases: readonly FrontendCase[] }>();
let generatedCount = 0;

/** Makes a shared case read-only, so that a frontend writing into it throws instead of changing what the next frontend is shown. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * The cases fast-check's run of `cases` at `settings` generates, in order: generated once and shared
 * by every frontend judged on them (the five built-in frontends of the default run, or a frontend and
 * its mutants), since generation costs more than a built-in frontend's decisions. fast-check draws
 * the same values whether a property passes or not, so judging the shared cases decides what its
 * own run would; a failing case is handed back to fast-check by its path, which shrinks it exactly
 * as a whole run would have.
 */
export function generatedCases(cases: fc.Arbitrary<FrontendCase>, settings: Pick<RunSettings, 'seed' | 'numRuns'>): readonly FrontendCase[] | undefined {
  if (settings.numRuns > SHARED_RUNS_LIMIT) return undefined;
  const key = `${settings.seed}/${settings.numRuns}`;
  const held = generated.get(cases);
  if (held !== undefined) {
    generated.delete(cases);
    generatedCount -= held.cases.length;
    if (held.key === key) {
      generated.set(cases, held);
      generatedCount += held.cases.length;
      return held.cases;
    }
  }
  const sampled = fc.sample(cases, { seed: settings.seed, numRuns: settings.numRuns }).map(deepFreeze);
  for (const [oldest, entry] of generated) {
    if (generatedCount + sampled.length <= SHARED_CASES_LIMIT) break;
    generated.delete(oldest);
    generatedCount -= entry.cases.length;
  }
  generated.set(cases, { key, cases: sampled });
  generatedCount += sampled.length;
  return sampled;
}

/** Runs `property` against an in-process frontend. */
export function runPropertyInProcess(property: FrontendProperty, frontend: Pick<Frontend, 'decide' | 'map'>, settings: RunSettings): PropertyRun {
  const { signal: _signal, ...parameters } = settings;
  const cases = generatedCases(property.cases, parameters);
  let failedAt: number | undefined;
  for (const [index, testCase] of (cases ?? []).entries()) {
    let answers: CaseAnswers;
    try {
      answers = answerCase(frontend, testCase);
    } catch (error) {
      return errorRun(error);
    }
    let violated: boolean;
    try {
      violated = property.check(testCase, answers) !== undefined;
    } catch {
      violated = true;
    }
    if (violated) {
      failedAt = index;
      break;
    }
  }
  if (cases !== undefined && failedAt === undefined) return { kind: 'pass', runs: cases.length };
  let stopped: PropertyRun | undefined;
  const result = fc.check(
    fc.property(property.cases, (testCase) => {
      if (stopped) return true;
      let answers: CaseAnswers;
      try {
        answers = answerCase(frontend, testCase);
      } catch (error) {
        stopped = errorRun(error);
        return true;
      }
      return property.check(testCase, answers) === undefined;
    }),
    failedAt === undefined ? parameters : { ...parameters, path: String(failedAt) },
  );
  if (stopped) return stopped;
  if (!result.failed) return { kind: 'pass', runs: result.numRuns };
  const testCase = result.counterexample![0];
  const answers = answerCase(frontend, testCase);
  const violation = property.check(testCase, answers);
  if (!violation) return { kind: 'error', code: diagnostics.nondeterministicFrontend.code, message: 'the shrunk case no longer violates the property' };
  return { kind: 'fail', testCase, violation, answers, seed: result.seed, path: result.counterexamplePath ?? '' };
}

/** Runs `property` against a target (reference, model, exec adapter). */
export async function runPropertyOnTarget(property: FrontendProperty, target: Pick<FrontendTarget, 'decide' | 'map'>, settings: RunSettings): Promise<PropertyRun> {
  const ask = async (testCase: FrontendCase): Promise<CaseAnswers> => {
    let answers;
    try {
      answers = await answerCaseWithTarget(target, testCase);
    } catch (error) {
      throw new StopRun(errorRun(error));
    }
    if (isSkip(answers)) throw new StopRun({ kind: 'skip', reason: answers.reason });
    return answers;
  };
  const { signal, ...parameters } = settings;
  const stoppedRun: PropertyRun = { kind: 'skip', reason: 'the run was stopped before this property finished' };
  const cases = generatedCases(property.cases, parameters);
  let failedAt: number | undefined;
  for (const [index, testCase] of (cases ?? []).entries()) {
    // In-process targets answer without ever leaving the microtask queue: yield now and then so
    // that a signal (or any I/O) is handled during a long run, and stop when the run is stopped.
    if ((index + 1) % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) return stoppedRun;
    let violated: boolean;
    try {
      violated = property.check(testCase, await ask(testCase)) !== undefined;
    } catch (error) {
      if (error instanceof StopRun) return error.outcome;
      violated = true;
    }
    if (violated) {
      failedAt = index;
      break;
    }
  }
  if (cases !== undefined && failedAt === undefined) return { kind: 'pass', runs: cases.length };
  let stopped: PropertyRun | undefined;
  let asked = 0;
  const result = await fc.check(
    fc.asyncProperty(property.cases, async (testCase) => {
      if (stopped) return true;
      // In-process targets answer without ever leaving the microtask queue: yield now and then so
      // that a signal (or any I/O) is handled during a long run, and stop when the run is stopped.
      if (++asked % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) {
        stopped = stoppedRun;
        return true;
      }
      try {
        return property.check(testCase, await ask(testCase)) === undefined;
      } catch (error) {
        if (!(error instanceof StopRun)) throw error;
        stopped = error.outcome;
        return true;
      }
    }),
    failedAt === undefined ? parameters : { ...parameters, path: String(failedAt) },
  );
  if (stopped) return stopped;
  if (!result.failed) return { kind: 'pass', runs: result.numRuns };
  if (!result.counterexample) return errorRun(result.errorInstance);
  const testCase = result.counterexample[0];
  try {
    const answers = await ask(testCase);
    const violation = property.check(testCase, answers);
    if (!violation) return { kind: 'error', code: diagnostics.nondeterministicFrontend.code, message: 'the shrunk case no longer violates the property' };
    return { kind: 'fail', testCase, violation, answers, seed: result.seed, path: result.counterexamplePath ?? '' };
  } catch (error) {
    return error instanceof StopRun ? error.outcome : errorRun(error);
  }
}
