import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import type { Outcome, RunResults } from './result-model.ts';
import { judge, verdict } from './verdict.ts';

function only(...outcomes: Outcome[]): RunResults {
  const base = sampleResults();
  const template = base.records[0]!;
  return { ...base, records: outcomes.map((outcome, index) => ({ ...template, id: `r${index}`, outcome })) };
}

describe('verdict', () => {
  it.each<[Outcome[], number]>([
    [['pass', 'xfail', 'skip', 'inapplicable'], 0],
    [['xfail'], 0],
    [[], 4],
    [['skip', 'inapplicable'], 4],
    [['pass', 'fail'], 1],
    [['pass', 'xpass'], 1],
    [['fail', 'error'], 3],
  ])('%j exits %i', (outcomes, code) => {
    expect(verdict(only(...outcomes))).toBe(code);
  });

  it('counts warnings but fails the gate on them only when strict', () => {
    const warned = only('pass', 'warning', 'warning');
    expect(judge(warned)).toMatchObject({ exitCode: 0, warnings: 2, headline: 'conformant: no unexpected results (2 warning(s))' });
    expect(judge(warned, { strict: true })).toMatchObject({ exitCode: 1, unexpected: 2 });
  });

  it('is 3 for run errors and partial runs even without failing records', () => {
    expect(verdict({ ...only('pass'), runErrors: ['x'] })).toBe(3);
    const partial = only('pass');
    partial.metadata.partial = true;
    expect(judge(partial).headline).toBe('incomplete: partial run');
  });
});
