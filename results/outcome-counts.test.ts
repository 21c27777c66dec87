import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import { countOutcomes, formatCounts } from './outcome-counts.ts';
import { outcomes, type Outcome, type ResultRecord } from './result-model.ts';

function records(...list: Outcome[]): ResultRecord[] {
  const template = sampleResults().records[0]!;
  return list.map((outcome, index) => ({ ...template, id: `r${index}`, outcome }));
}

describe('outcome counts', () => {
  it('counts every outcome, with a zero for each one absent', () => {
    expect(countOutcomes(records('pass', 'fail', 'pass', 'xfail'))).toEqual({ error: 0, fail: 1, xpass: 0, warning: 0, xfail: 1, pass: 2, skip: 0, inapplicable: 0 });
    expect(Object.values(countOutcomes([]))).toEqual(outcomes.map(() => 0));
  });

  it('counts as many records as there are', () => {
    const sample = sampleResults().records;
    expect(Object.values(countOutcomes(sample)).reduce((sum, count) => sum + count, 0)).toBe(sample.length);
  });

  it('prints the non-zero outcomes worst first, and says when there is nothing', () => {
    expect(formatCounts(countOutcomes(records('pass', 'fail', 'pass', 'xfail')))).toBe('1 fail, 1 xfail, 2 pass');
    expect(formatCounts(countOutcomes(records('inapplicable', 'error', 'warning', 'xpass', 'skip')))).toBe('1 error, 1 xpass, 1 warning, 1 skip, 1 inapplicable');
    expect(formatCounts(countOutcomes([]))).toBe('no results');
  });
});
