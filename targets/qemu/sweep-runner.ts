import { availableParallelism } from 'node:os';
import { TargetError } from '../device-target.ts';
import type { QemuTarget, QemuTargetOptions } from '../qemu.ts';
import { createQemuTarget } from '../qemu.ts';
import type { QemuSweepTarget } from './sweep-catalogue.ts';

/** How one sweep entry ended. */
export interface SweepOutcome<T> {
  entry: QemuSweepTarget;
  /** The work's result when QEMU started and the work finished. */
  result?: T;
  /** The harness error when QEMU could not start, died, timed out, or the work threw. */
  error?: TargetError;
  seconds: number;
}

/** Progress after each finished entry. */
export interface SweepProgress {
  done: number;
  total: number;
  running: number;
  last: QemuSweepTarget;
  ok: boolean;
}

/** Options of {@link runQemuSweep}. */
export interface SweepOptions extends QemuTargetOptions {
  /** Most QEMUs at once; default the number of cores. */
  concurrency?: number;
  onProgress?: (progress: SweepProgress) => void;
}

/**
 * Runs `work` on every entry, each in its own QEMU, at most `concurrency` at a time. Every QEMU is closed
 * when its work ends, whatever happened; an entry's failure is recorded in its outcome and the sweep goes
 * on. Outcomes are returned in the order of `entries`.
 */
export async function runQemuSweep<T>(entries: readonly QemuSweepTarget[], work: (target: QemuTarget, entry: QemuSweepTarget) => Promise<T>, options: SweepOptions = {}): Promise<SweepOutcome<T>[]> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), entries.length || 1));
  const outcomes: SweepOutcome<T>[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  let running = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index]!;
      running++;
      const started = performance.now();
      const outcome: SweepOutcome<T> = { entry, seconds: 0 };
      let target: QemuTarget | undefined;
      try {
        target = await createQemuTarget(entry.spec, options);
        outcome.result = await work(target, entry);
      } catch (error) {
        outcome.error = error instanceof TargetError ? error : new TargetError('targetProtocol', `sweep work failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await target?.close();
      }
      outcome.seconds = (performance.now() - started) / 1000;
      outcomes[index] = outcome;
      running--;
      done++;
      options.onProgress?.({ done, total: entries.length, running, last: entry, ok: outcome.error === undefined });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** A one-line text progress bar: `[#####.....] 12/40 virtio-net-pci/modern ok`. */
export function formatSweepProgress(progress: SweepProgress, width = 30): string {
  const filled = progress.total === 0 ? width : Math.round((progress.done / progress.total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total} ${progress.last.id} ${progress.ok ? 'ok' : 'ERROR'}`;
}

/**
 * An `onProgress` that draws the bar on `stream`: redrawn in place on a terminal, one line per entry
 * otherwise (CI logs).
 */
export function progressBarWriter(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): (progress: SweepProgress) => void {
  return (progress) => {
    const line = formatSweepProgress(progress);
    if (stream.isTTY) stream.write(`\r\u001b[K${line}${progress.done === progress.total ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}
