/**
 * A vitest reporter (one job: turn finished test cases into {@link CollectedResult}s). Tests that
 * carry no requirement id are reported as harness errors: a conformance suite must not have
 * untraceable checks.
 */
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CollectedResult, Outcome } from './collected-result.ts';
import type { Evidence } from '../../suites/support/index.ts';

/** Called for each result as soon as its test finishes (to stream results.jsonl). */
export type ResultListener = (result: CollectedResult) => void;

/** Collects conformance results from a vitest run. */
export class ResultCollector implements Reporter {
  readonly results: CollectedResult[] = [];
  /** Errors outside any test (a suite file that fails to load, an unhandled rejection). */
  readonly runErrors: string[] = [];

  constructor(
    private readonly repoRoot: string,
    private readonly listener: ResultListener = () => {},
  ) {}

  onTestCaseResult(testCase: TestCase): void {
    for (const result of toResults(testCase, this.repoRoot)) {
      this.results.push(result);
      this.listener(result);
    }
  }

  onTestModuleEnd(module: TestModule): void {
    for (const error of module.errors()) {
      this.runErrors.push(`${relative(this.repoRoot, module.moduleId)}: ${error.message}`);
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message: string }>): void {
    for (const error of errors) this.runErrors.push(error.message);
  }
}

function suiteOf(file: string): string {
  const match = /^suites\/([^/]+)\//.exec(file);
  return match?.[1] ?? 'unknown';
}

/** Converts one vitest test case into one result per requirement id it names. */
export function toResults(testCase: TestCase, repoRoot: string): CollectedResult[] {
  const meta = testCase.meta();
  const result = testCase.result();
  const file = relative(repoRoot, testCase.module.moduleId);
  const errors = result.state === 'failed' ? (result.errors ?? []) : [];
  let outcome: Outcome;
  if (meta.outcome === 'inapplicable') outcome = 'inapplicable';
  else if (meta.outcome === 'error') outcome = 'error';
  else if (result.state === 'passed') outcome = 'pass';
  else if (result.state === 'failed') outcome = 'fail';
  else outcome = 'skip';
  const evidence: Evidence[] = [...(meta.evidence ?? [])];
  let message = meta.note ?? '';
  if (errors.length > 0) {
    message = errors.map((error) => error.message).join('\n');
    if (evidence.length === 0 && outcome === 'fail') evidence.push({ kind: 'text', text: errors[0]?.stack ?? message });
  }
  const requirements = meta.requirements ?? [];
  const base = {
    target: meta.target ?? 'unknown',
    suite: meta.suite ?? suiteOf(file),
    test: testCase.fullName,
    file,
    durationMs: testCase.diagnostic()?.duration ?? 0,
    evidence,
    ...(meta.mechanism !== undefined && { mechanism: meta.mechanism }),
    ...(meta.property !== undefined && { property: meta.property }),
    ...(meta.targetMetadata !== undefined && { targetMetadata: meta.targetMetadata }),
  };
  if (requirements.length === 0) {
    return [
      {
        ...base,
        id: `${file}#${testCase.fullName}#untraced`,
        requirement: 'UNTRACED',
        outcome: 'error',
        message: `test carries no requirement id (every conformance test must name one): ${message}`,
      },
    ];
  }
  return requirements.map((requirement) => ({
    ...base,
    id: `${file}#${testCase.fullName}#${requirement}`,
    requirement,
    outcome,
    message,
  }));
}
