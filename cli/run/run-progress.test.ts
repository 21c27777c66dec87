import { describe, expect, it } from 'vitest';
import { RunProgress } from './run-progress.ts';

describe('RunProgress', () => {
  it('shows the total from the start and never lets it grow', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = new RunProgress({ write: (text) => lines.push(text), tty: false, intervalMs: 1000, now: () => clock });
    progress.start(4);
    progress.add('pass');
    clock = 1500;
    progress.add('xfail');
    progress.add('pass');
    progress.add('fail');
    progress.finish();
    expect(lines).toEqual([
      '  [..............................] 0/4 results\n',
      '  [###############...............] 2/4 results: 1 xfail, 1 pass\n',
      '  [##############################] 4/4 results: 1 fail, 1 xfail, 2 pass\n',
    ]);
  });

  it('redraws one line in place on a terminal', () => {
    const lines: string[] = [];
    const progress = new RunProgress({ write: (text) => lines.push(text), tty: true });
    progress.start(1);
    progress.add('warning');
    progress.finish();
    expect(lines.every((line) => line.startsWith('\r'))).toBe(true);
    expect(lines.at(-1)).toContain('1/1 results: 1 warning');
  });
});

describe('RunProgress.adjust', () => {
  it('changes the total when a target shows more results, never below what is done', () => {
    const lines: string[] = [];
    const progress = new RunProgress({ write: (text) => lines.push(text), tty: true });
    progress.start(10);
    progress.add('pass');
    progress.adjust(5);
    expect(progress.line()).toContain('1/15 results');
    progress.adjust(-100);
    expect(progress.line()).toContain('1/1 results');
  });
});
