/**
 * The progress line of a run, in the vocabulary of its results: one total (results, one per
 * requirement a case names, known before the first case runs), outcomes counted the way the final
 * summary counts them (a failure an expectation covers is `xfail`, not a failure). On a terminal the
 * line is redrawn in place; otherwise a line is written at start, at most every few seconds, and at
 * the end, so a CI log shows life from the first second without flooding.
 */
import type { Outcome } from '../../results/result-model.ts';
import { outcomes } from '../../results/result-model.ts';

/** Where progress goes and how it looks. */
export interface ProgressOptions {
  write(text: string): void;
  /** Redraw one line in place (a terminal). */
  tty: boolean;
  /** Milliseconds between lines when not a terminal. */
  intervalMs?: number;
  now?: () => number;
}

/** Counts results as they arrive and shows them. */
export class RunProgress {
  private total = 0;
  private done = 0;
  private readonly counts = new Map<Outcome, number>();
  private lastLine = 0;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Says what is being prepared (opening targets can take seconds). */
  preparing(what: string): void {
    this.options.write(`${what}\n`);
  }

  /** The run's total is known: show the first line. */
  start(total: number): void {
    this.total = total;
    this.lastLine = this.now();
    this.options.write(this.options.tty ? `\r${this.line()}` : `${this.line()}\n`);
  }

  /**
   * The total changes by `delta` once a target shows how many results it really has (a dump with
   * several PCI functions). Shown on the next line; never below what is already done.
   */
  adjust(delta: number): void {
    this.total = Math.max(this.done, this.total + delta);
  }

  /** One more result. */
  add(outcome: Outcome): void {
    this.done++;
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
    if (this.options.tty) this.options.write(`\r${this.line()}`);
    else if (this.now() - this.lastLine >= (this.options.intervalMs ?? 5000)) {
      this.lastLine = this.now();
      this.options.write(`${this.line()}\n`);
    }
  }

  /** The run is over (or stopped): the last line. */
  finish(): void {
    this.options.write(this.options.tty ? `\r${this.line()}\n` : `${this.line()}\n`);
  }

  /** `[#####.....] 120/560 results: 3 fail, 117 pass`. */
  line(): string {
    const width = 30;
    const filled = this.total > 0 ? Math.min(width, Math.round((this.done / this.total) * width)) : width;
    const parts = outcomes.filter((outcome) => (this.counts.get(outcome) ?? 0) > 0).map((outcome) => `${this.counts.get(outcome)} ${outcome}`);
    return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} results${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
  }
}
