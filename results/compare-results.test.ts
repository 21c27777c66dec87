import { describe, expect, it } from 'vitest';
import { compareResults } from './compare-results.ts';
import { sampleResults } from '../test-support/sample-results.ts';
import type { ResultRecord, RunResults } from './result-model.ts';

function withRecords(records: ResultRecord[]): RunResults {
  return { ...sampleResults(), records };
}

describe('compareResults', () => {
  const old = sampleResults();

  it('finds nothing between a run and itself', () => {
    const comparison = compareResults(old, sampleResults());
    expect(comparison.newFailures).toEqual([]);
    expect(comparison.fixed).toEqual([]);
    expect(comparison.changedEvidence).toEqual([]);
    expect(comparison.otherChanges).toEqual([]);
    expect(comparison.stillFailing).toBe(5);
    expect(comparison.unchanged).toBe(5);
  });

  it('reports a pass that now fails, and a failing record new to the run, as new failures', () => {
    const records = sampleResults().records.map((record) => (record.target === 'reference' && record.requirement === 'XEN-INV-06' ? { ...record, outcome: 'fail' as const, message: 'now broken' } : record));
    records.push({ ...records[0]!, id: 'suites/new.suite.ts#x#PCI-DEV-02', outcome: 'error' });
    const comparison = compareResults(old, withRecords(records));
    expect(comparison.newFailures.map((entry) => [entry.requirement, entry.before, entry.after])).toEqual([
      ['XEN-INV-06', 'pass', 'fail'],
      ['PCI-DEV-02', undefined, 'error'],
    ]);
  });

  it('reports fixed records, changed evidence, expired expectations and vanished records', () => {
    const records = sampleResults().records.flatMap((record): ResultRecord[] => {
      if (record.requirement === 'PCI-DEV-02') return [{ ...record, outcome: 'pass', evidence: [] }];
      if (record.requirement === 'XEN-INV-03') return [{ ...record, evidence: [{ kind: 'text', text: 'another counterexample' }] }];
      if (record.requirement === 'PCI-DEV-16') return [];
      return [record];
    });
    const comparison = compareResults(old, withRecords(records));
    expect(comparison.fixed.map((entry) => entry.requirement)).toEqual(['PCI-DEV-02']);
    expect(comparison.changedEvidence.map((entry) => entry.requirement)).toEqual(['XEN-INV-03']);
    expect(comparison.otherChanges.map((entry) => [entry.requirement, entry.before, entry.after])).toEqual([['PCI-DEV-16', 'inapplicable', undefined]]);
    expect(comparison.newFailures).toEqual([]);
  });

  it('ignores the replay command, which names where the results were written, and still sees a changed counterexample', () => {
    const elsewhere = (replay: string) =>
      sampleResults().records.map((record) => ({
        ...record,
        evidence: record.evidence.map((evidence) => (evidence.kind === 'counterexample' ? { ...evidence, replay } : evidence)),
      }));
    const a = withRecords(elsewhere('xvc replay --from /ci/job-1/out --record 0df656c57b'));
    const b = withRecords(elsewhere('xvc replay --from /ci/job-2/other-out --record 0df656c57b'));
    const same = compareResults(a, b);
    expect(same.changedEvidence).toEqual([]);
    expect(same.otherChanges).toEqual([]);
    expect(same.stillFailing).toBe(5);
    const shrunkElsewhere = withRecords(
      b.records.map((record) =>
        record.requirement === 'XEN-INV-03' ? { ...record, evidence: record.evidence.map((evidence) => (evidence.kind === 'counterexample' ? { ...evidence, path: '9:9' } : evidence)) } : record,
      ),
    );
    expect(compareResults(a, shrunkElsewhere).changedEvidence.map((entry) => entry.requirement)).toEqual(['XEN-INV-03']);
  });

  it('counts an xfail whose expectation expired (now fail) as a new failure', () => {
    const records = sampleResults().records.map((record) => (record.outcome === 'xfail' ? { ...record, outcome: 'fail' as const } : record));
    expect(compareResults(old, withRecords(records)).newFailures.map((entry) => entry.requirement)).toEqual(['XEN-INV-01']);
  });
});
