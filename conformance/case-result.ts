/**
 * Turning what an engine sees into a case result: a check's verdict, or an exception that escaped it
 * (a target that crashed, timed out or lied is a harness error with its stderr, never a failure).
 */
import { diagnostics } from '../core/diagnostics.ts';
import type { Evidence } from '../generated/ts/schema/results.ts';
import { TargetError } from '../targets/device-target.ts';
import type { FunctionReadProblem } from '../targets/device-target.ts';
import type { AdapterIncident } from '../targets/exec.ts';
import type { CaseResult } from './conformance-case.ts';

/** A harness error for `error`: the target's catalogue code and stderr for a TargetError, the stack otherwise. */
export function errorResult(error: unknown): CaseResult {
  if (error instanceof TargetError) {
    const evidence: Evidence = { kind: 'harness', code: error.code, ...(error.details.stderr === undefined ? {} : { stderr: error.details.stderr }) };
    return { outcome: 'error', message: error.message, evidence: [evidence] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { outcome: 'error', message, evidence: [{ kind: 'harness', code: diagnostics.checkCrashed.code, stderr: error instanceof Error ? (error.stack ?? message) : message }] };
}

/**
 * The result of every case of a target that could not be opened: inapplicable when the target
 * implements the other role (an exec adapter that is a frontend, asked for a device), else a harness error.
 */
export function unopenedResult(error: unknown, suite: string): CaseResult {
  if (error instanceof TargetError && error.diagnostic === 'targetRole') return { outcome: 'inapplicable', note: `the ${suite} suite does not apply: the target ${error.message}` };
  return errorResult(error);
}

/** `result` with the incidents `take` returns (an exec target's; none for other targets) attached. */
export function withIncidents(result: CaseResult, take: (() => readonly AdapterIncident[]) | undefined): CaseResult {
  const incidents = take?.() ?? [];
  return incidents.length === 0 ? result : { ...result, incidents: [...(result.incidents ?? []), ...incidents] };
}

/** Reader problems a record names before it only counts the rest. */
export const LISTED_READ_PROBLEMS = 5;

/**
 * `result` of a check on a function whose data the reader found problems with (a dump cut short):
 * every record of the function names them. When bytes are missing, a pass or an inapplicable
 * verdict is no verdict (a harness error saying what the check said on the bytes that are there):
 * a capability past the end, or a field the check never saw, could break the rule. A violation
 * found in the bytes that are there stands. A problem that loses no bytes changes no verdict.
 */
export function withReadProblems(result: CaseResult, problems: readonly FunctionReadProblem[]): CaseResult {
  if (problems.length === 0) return result;
  // A whole machine's dump may have thousands of functions with problems, and every record of the
  // row carries the text: a few are named and the rest counted, each code is evidence once.
  const shown = problems.slice(0, LISTED_READ_PROBLEMS).map((problem) => problem.located);
  const more = problems.length > LISTED_READ_PROBLEMS ? `; and ${problems.length - LISTED_READ_PROBLEMS} more` : '';
  const read = `read problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`;
  const evidence: Evidence[] = [...new Set(problems.map((problem) => problem.code))].map((code) => ({ kind: 'harness', code }));
  switch (result.outcome) {
    case 'fail':
    case 'warning':
    case 'error':
      return { ...result, message: `${result.message} (${read})`, evidence: [...result.evidence, ...evidence] };
    case 'pass':
    case 'inapplicable':
    case 'skip': {
      const said = result.note === undefined || result.note === '' ? result.outcome : `${result.outcome} (${result.note})`;
      if (problems.some((problem) => problem.bytesMissing)) {
        const { note: _note, ...rest } = result;
        return { ...rest, outcome: 'error', message: `no verdict: the function's data is incomplete, ${read}; on the bytes that are there the check gave ${said}`, evidence };
      }
      return { ...result, note: result.note === undefined || result.note === '' ? read : `${result.note} (${read})` };
    }
  }
}

/** Runs `body`, turning anything it throws into a harness error result. */
export async function guarded(body: () => CaseResult | Promise<CaseResult>): Promise<CaseResult> {
  try {
    return await body();
  } catch (error) {
    return errorResult(error);
  }
}
