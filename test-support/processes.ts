/**
 * Waiting for processes in tests without fixed sleeps: a test waits for the state it needs (a
 * process gone, a file written) and fails only when that state does not come within a deadline
 * far longer than any machine needs, so a slow machine makes the test slower, never red.
 */
import type { ChildProcess } from 'node:child_process';
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

/** Options of {@link waitForOutput}. */
export interface WaitForOutputOptions {
  /** Which of the child's streams carries the readiness line (piped by the caller); default stderr. */
  stream?: 'stdout' | 'stderr';
  /** How long to wait at most; default {@link DEFAULT_DEADLINE_MS}. */
  deadlineMs?: number;
}

/**
 * Waits for a readiness line from `child`: resolves with what the stream carried once `ready`
 * matches it. Rejects when the child ends first, with its exit code (or signal) and the stderr it
 * wrote, so a child that dies before it is ready fails the test at once instead of hanging it until
 * the test's timeout; and rejects at the deadline, so a child that lives but never gets ready fails too.
 */
export function waitForOutput(child: ChildProcess, ready: RegExp, options: WaitForOutputOptions = {}): Promise<string> {
  const { stream: streamName = 'stderr', deadlineMs = DEFAULT_DEADLINE_MS } = options;
  const stream = child[streamName];
  if (!stream) return Promise.reject(new Error(`waitForOutput: the child's ${streamName} is not piped`));
  return new Promise<string>((resolve, reject) => {
    let text = '';
    let stderr = '';
    const onData = (chunk: Buffer | string): void => {
      text += String(chunk);
      if (ready.test(text)) settle(() => resolve(text));
    };
    const onStderr = (chunk: Buffer | string): void => {
      stderr += String(chunk);
    };
    // 'close', not 'exit': it comes after the child's streams are drained, so a readiness line
    // written just before exiting is still seen.
    const onClose = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(() => reject(new Error(`the child exited (${signal === null ? `code ${code}` : `signal ${signal}`}) before writing a line matching ${ready}; its stderr:\n${streamName === 'stderr' ? text : stderr}`)));
    const timer = setTimeout(() => settle(() => reject(new Error(`no line matching ${ready} within ${deadlineMs} ms; ${streamName} so far:\n${text}`))), deadlineMs);
    const settle = (finish: () => void): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      if (streamName !== 'stderr') child.stderr?.off('data', onStderr);
      child.off('close', onClose);
      finish();
    };
    stream.setEncoding('utf8');
    stream.on('data', onData);
    if (streamName !== 'stderr') child.stderr?.on('data', onStderr);
    child.once('close', onClose);
  });
}
