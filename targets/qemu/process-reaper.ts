/**
 * The lifetime rules of every process xvc starts live in core/child-processes.ts (registry, process
 * groups, parent-death signal); targets use them through these names.
 */
import type { ChildProcess } from 'node:child_process';
import { liveChildCount as liveCount, reapChild, trackChild as track } from '../../core/child-processes.ts';

/** Registers a child to be killed if the Node process exits first; removed when the child exits. */
export function trackChild(child: ChildProcess, options: { group?: boolean } = {}): void {
  track(child, options);
}

/** How many tracked children are still alive (for tests that check nothing leaks). */
export function liveChildCount(): number {
  return liveCount();
}

/** Stops a child: SIGTERM (its group, when it leads one), then SIGKILL after `graceMs`; resolves once it has exited. */
export function reap(child: ChildProcess, graceMs = 1000): Promise<void> {
  return reapChild(child, graceMs);
}
