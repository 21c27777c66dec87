/**
 * The expectations a run applies: the built-in ones (the models' known defects and the red mechanism
 * cells), narrowed to the targets the run has, plus every file the user names. A user's file adds to
 * the built-ins instead of replacing them (`--no-builtin-expectations` drops those), and a built-in
 * entry about a target this run does not have is not reported as "matched nothing".
 */
import { matchesGlob } from '../core/glob.ts';
import { packagePath } from '../core/package-root.ts';
import type { SpecProblem } from '../core/spec-problem.ts';
import { entryCovers, loadExpectations, type ExpectationEntry, type Expectations } from './expectations.ts';
import type { Outcome } from './result-model.ts';

/** Known defects of the built-in models and red mechanism cells. */
export const builtinExpectationsFile = packagePath('spec', 'expectations', 'builtin-models.yaml');

/** Expectations of a run, or the located problems of the files that do not load. */
export type RunExpectations = { ok: true; expectations: Expectations | undefined } | { ok: false; problems: SpecProblem[] };

/**
 * Loads and combines the run's expectations; `targets` are the target specs of the run (after
 * expansion), or globs standing for a family of them (`mechanism:*`).
 */
export function runExpectations(options: { files: readonly string[]; builtin: boolean; targets: readonly string[] }): RunExpectations {
  const problems: SpecProblem[] = [];
  const entries: ExpectationEntry[] = [];
  const names: string[] = [];
  // The user's entries come first: the first matching entry wins, so a user can restate a built-in one.
  for (const file of options.files) {
    const loaded = loadExpectations(file);
    if (!loaded.ok) problems.push(...loaded.problems);
    else {
      entries.push(...loaded.expectations.entries);
      names.push(loaded.expectations.file);
    }
  }
  if (options.builtin) {
    const loaded = loadExpectations(builtinExpectationsFile, 'spec/expectations/builtin-models.yaml');
    if (!loaded.ok) problems.push(...loaded.problems);
    else {
      const relevant = loaded.expectations.entries.filter((entry) => options.targets.some((target) => matchesGlob(entry.target, target) || matchesGlob(target, entry.target)));
      entries.push(...relevant);
      if (relevant.length > 0) names.push(loaded.expectations.file);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, expectations: entries.length === 0 ? undefined : { file: names.join(' + '), entries } };
}

/** How a result will be counted once expectations are applied: a covered fail is xfail, a covered pass xpass. */
export function expectedOutcome(expectations: Expectations | undefined, result: { target: string; requirement: string; mechanism?: string; outcome: Outcome }): Outcome {
  if (expectations === undefined || (result.outcome !== 'fail' && result.outcome !== 'pass')) return result.outcome;
  const covered = expectations.entries.some((entry) => entryCovers(entry, result));
  if (!covered) return result.outcome;
  return result.outcome === 'fail' ? 'xfail' : 'xpass';
}
