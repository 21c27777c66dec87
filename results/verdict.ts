import type { RunResults } from './result-model.ts';

/**
 * Exit code of a run, from its results (DESIGN.md "Exit codes"):
 * - 3 harness error: a run error, any `error` record, or a partial run (the verdict is incomplete,
 *   so it cannot be called conformant — and a CI retry policy can key on 3);
 * - 1 unexpected results: any `fail` (no expectation covers it) or `xpass` (an expected failure
 *   passed: the expectations file is stale and must be updated), and with `strict` any `warning`;
 * - 4 nothing was tested: no result at all (a filter or shard that selects nothing), or only
 *   skip and inapplicable results — such a run proves nothing, so it is not "conformant" (pytest
 *   keeps a separate code for "no tests collected" for the same reason);
 * - 0 otherwise: pass, warning (without `strict`), xfail, skip and inapplicable, at least one verdict.
 * Harness errors win over failures because a run with errors has not judged everything.
 */
export type ExitCode = 0 | 1 | 3 | 4;

/** How strictly a run is judged. */
export interface VerdictOptions {
  /** Warnings (SHOULD statements, non-normative notes) count as unexpected results. */
  strict?: boolean;
}

/** Why a run gets its exit code. */
export interface Verdict {
  exitCode: ExitCode;
  /** One line for a summary: `conformant`, `2 unexpected result(s)`, ... */
  headline: string;
  unexpected: number;
  harnessErrors: number;
  /** Records whose outcome is `warning`, whether or not they fail the gate. */
  warnings: number;
}

/** Judges a run: see {@link ExitCode}. */
export function judge(results: RunResults, options: VerdictOptions = {}): Verdict {
  const warnings = results.records.filter((record) => record.outcome === 'warning').length;
  const unexpected =
    results.records.filter((record) => record.outcome === 'fail' || record.outcome === 'xpass').length + (options.strict ? warnings : 0);
  const harnessErrors = results.runErrors.length + results.records.filter((record) => record.outcome === 'error').length;
  const warned = warnings > 0 && !options.strict ? ` (${warnings} warning(s))` : '';
  if (harnessErrors > 0 || results.metadata.partial) {
    const parts = [];
    if (harnessErrors > 0) parts.push(`${harnessErrors} harness error(s)`);
    if (results.metadata.partial) parts.push('partial run');
    if (unexpected > 0) parts.push(`${unexpected} unexpected result(s)`);
    return { exitCode: 3, headline: `incomplete: ${parts.join(', ')}`, unexpected, harnessErrors, warnings };
  }
  if (unexpected > 0) return { exitCode: 1, headline: `not conformant: ${unexpected} unexpected result(s)`, unexpected, harnessErrors, warnings };
  const judged = results.records.filter((record) => record.outcome !== 'skip' && record.outcome !== 'inapplicable').length;
  if (judged === 0) {
    const why = results.records.length === 0 ? 'no test was selected' : `all ${results.records.length} result(s) are skip or inapplicable`;
    return { exitCode: 4, headline: `nothing tested: ${why}`, unexpected, harnessErrors, warnings };
  }
  return { exitCode: 0, headline: `conformant: no unexpected results${warned}`, unexpected, harnessErrors, warnings };
}

/** Exit code of a run (0 conformant, 1 unexpected failures or xpass, 3 harness error or partial, 4 nothing tested). */
export function verdict(results: RunResults, options: VerdictOptions = {}): ExitCode {
  return judge(results, options).exitCode;
}
