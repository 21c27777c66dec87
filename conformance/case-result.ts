/**
 * Turning what an engine sees into a case result: a check's verdict, or an exception that escaped it
 * (a target that crashed, timed out or lied is a harness error with its stderr, never a failure).
 */
import { diagnostics } from '../core/diagnostics.ts';
import type { Evidence } from '../generated/ts/schema/results.ts';
import { TargetError } from '../targets/device-target.ts';
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

/** Runs `body`, turning anything it throws into a harness error result. */
export async function guarded(body: () => CaseResult | Promise<CaseResult>): Promise<CaseResult> {
  try {
    return await body();
  } catch (error) {
    return errorResult(error);
  }
}
