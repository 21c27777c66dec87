/** A vitest reporter (one job: show progress on stderr while a run goes). */
import type { Reporter, TestCase, TestSpecification } from 'vitest/node';

/** Prints a one-line counter, redrawn in place on a terminal and every 50 tests otherwise. */
export class ProgressReporter implements Reporter {
  private done = 0;
  private failed = 0;
  private total = 0;

  constructor(private readonly write: (text: string) => void) {}

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.write(`running ${specifications.length} suite file(s)\n`);
  }

  onTestModuleCollected(module: { children: { allTests(): Iterable<unknown> } }): void {
    for (const _ of module.children.allTests()) this.total++;
  }

  onTestCaseResult(testCase: TestCase): void {
    this.done++;
    if (testCase.result().state === 'failed') this.failed++;
    const width = 30;
    const filled = this.total > 0 ? Math.min(width, Math.round((this.done / this.total) * width)) : 0;
    const line = `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} tests, ${this.failed} failed`;
    if (process.stderr.isTTY) this.write(`\r${line}`);
    else if (this.done % 200 === 0) this.write(`${line}\n`);
  }

  onTestRunEnd(): void {
    this.write(`${process.stderr.isTTY ? '\r' : ''}  ${this.done} tests finished, ${this.failed} failed\n`);
  }
}
