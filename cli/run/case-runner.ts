/**
 * Runs cases: the cases of one target in order (live checks change a device's state, and an adapter
 * answers one request at a time), different targets at the same time up to `concurrency`. A case
 * that throws despite its contract becomes a harness error, and a stopped run finishes the case in
 * flight and starts no other.
 */
import { errorResult } from '../../conformance/case-result.ts';
import type { CaseResult, ConformanceCase } from '../../conformance/conformance-case.ts';

/** Options of {@link runCases}. */
export interface CaseRunOptions {
  /** Targets worked on at once. */
  concurrency: number;
  /** Called as each case finishes, in the order they finish. */
  onResult(testCase: ConformanceCase, result: CaseResult, durationMs: number): void;
  /** When aborted, no further case starts. */
  signal?: AbortSignal;
}

/** Runs every case; resolves when all have run or the signal stopped the run. */
export async function runCases(cases: readonly ConformanceCase[], options: CaseRunOptions): Promise<void> {
  const byTarget = new Map<string, ConformanceCase[]>();
  for (const testCase of cases) {
    const list = byTarget.get(testCase.target) ?? [];
    list.push(testCase);
    byTarget.set(testCase.target, list);
  }
  const queues = [...byTarget.values()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queues.length && !options.signal?.aborted) {
      const queue = queues[next++]!;
      for (const testCase of queue) {
        if (options.signal?.aborted) return;
        const started = performance.now();
        let result: CaseResult;
        try {
          result = await testCase.run();
        } catch (error) {
          result = errorResult(error);
        }
        options.onResult(testCase, result, performance.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queues.length)) }, worker));
}
