/**
 * Stopping a run on SIGINT, SIGTERM or SIGHUP (its terminal went away) without losing it: the first signal aborts the run (no new
 * case starts, targets are closed, which stops their QEMU processes and adapters, and the results
 * so far are written, marked partial); the exit code is then 128 + the signal number, as shells
 * report a command a signal ended. A second signal ends the process at once.
 */
import { constants } from 'node:os';
import { killAllChildren } from '../../core/child-processes.ts';

/** What stopped the run, once something did. */
export interface StopState {
  readonly signal: AbortSignal;
  /** The signal that arrived first, if any. */
  received(): NodeJS.Signals | undefined;
  /** Exit code for a run the signal stopped: 128 + its number. */
  exitCode(): number | undefined;
  /** Removes the handlers (the run is over). */
  dispose(): void;
}

/** The signals a run stops on. */
export const stopSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Installs the handlers; `say` tells the user what happens. `exit` ends the process (tests replace it). */
export function handleStopSignals(say: (text: string) => void, exit: (code: number) => void = (code) => process.exit(code)): StopState {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const code = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      say(`\nxvc run: ${signal} again: stopping now\n`);
      // No time to close targets politely: kill every child (QEMU, adapters) so none outlives xvc.
      killAllChildren('SIGKILL');
      exit(code(signal));
      return;
    }
    first = signal;
    say(`\nxvc run: ${signal}: stopping after the check in flight; closing targets and writing the partial results (${signal} again stops at once)\n`);
    controller.abort();
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    exitCode: () => (first === undefined ? undefined : code(first)),
    dispose() {
      for (const signal of stopSignals) process.off(signal, onSignal);
    },
  };
}
