import type { ChildProcess } from 'node:child_process';

/**
 * Every QEMU child still alive. QEMU does not exit when its stdin closes, so a test that fails, or an
 * xvc that exits without closing its targets, would leave it running: the exit hook kills what is left.
 */
const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Registers a child to be killed if the Node process exits first; removed when the child exits. */
export function trackChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = (): void => {
        killAll();
        // Alone, this listener would swallow the signal: restore the default (terminate) and re-raise.
        // With other listeners (a run writing its partial results), leave the decision to them.
        if (process.listenerCount(signal) === 1) {
          process.removeListener(signal, onSignal);
          process.kill(process.pid, signal);
        }
      };
      process.on(signal, onSignal);
    }
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** How many tracked children are still alive (for tests that check nothing leaks). */
export function liveChildCount(): number {
  return live.size;
}

/**
 * Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Idempotent.
 */
export function reap(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone; 'exit' has fired or will
    }
  });
}
