/**
 * Waiting for processes in tests without fixed sleeps: a test waits for the state it needs (a
 * process gone, a file written) and fails only when that state does not come within a deadline
 * far longer than any machine needs, so a slow machine makes the test slower, never red.
 */
import { readFileSync } from 'node:fs';

/** Generous bound of every wait here: a loaded 2-core CI machine stays far below it. */
export const DEFAULT_DEADLINE_MS = 20_000;
/** How often a condition is looked at again: a poll interval, not a wait for anything to happen. */
const POLL_MS = 25;

/**
 * Whether `pid` is running. A process that is gone, or a zombie left by an init that does not reap
 * (containers), is not.
 */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Polls `probe` until it returns true, or until `deadlineMs` has passed; resolves with the last
 * answer, so the caller asserts on it (and a failure says what was waited for).
 */
export async function eventually(probe: () => boolean, deadlineMs = DEFAULT_DEADLINE_MS): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (probe()) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until none of `pids` runs; resolves with those still running at the deadline (none, normally). */
export async function survivorsOf(pids: readonly number[], deadlineMs = DEFAULT_DEADLINE_MS): Promise<number[]> {
  await eventually(() => pids.every((pid) => !isRunning(pid)), deadlineMs);
  return pids.filter(isRunning);
}
