import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import { recordsSha256 } from './records-hash.ts';
import type { RunResults } from './result-model.ts';
import { validateResults } from './validate-results.ts';

describe('results schema', () => {
  it('accepts the typed sample with every outcome and evidence kind', () => {
    const results: RunResults = sampleResults();
    expect(validateResults(results)).toEqual([]);
    expect(new Set(results.records.map((record) => record.outcome))).toEqual(new Set(['pass', 'fail', 'skip', 'inapplicable', 'error', 'xfail']));
    expect(new Set(results.records.flatMap((record) => record.evidence.map((evidence) => evidence.kind)))).toEqual(
      new Set(['bytes', 'counterexample', 'harness', 'text']),
    );
  });

  it('rejects an unknown outcome, a record field it does not know and evidence of the wrong shape', () => {
    const results = sampleResults() as unknown as { records: Record<string, unknown>[] };
    (results.records[0] as Record<string, unknown>).outcome = 'passed';
    (results.records[1] as Record<string, unknown>).surprise = true;
    (results.records[2] as { evidence: unknown[] }).evidence = [{ kind: 'bytes', text: 'no offsets' }];
    const pointers = validateResults(results).map((problem) => problem.pointer);
    expect(pointers).toContain('/records/0/outcome');
    expect(pointers).toContain('/records/1');
    expect(pointers.some((pointer) => pointer.startsWith('/records/2/evidence/0'))).toBe(true);
  });

  it('rejects a records hash that is not 64 hex digits and a missing partial flag', () => {
    const results = sampleResults() as unknown as { metadata: Record<string, unknown> };
    results.metadata.recordsSha256 = 'abc';
    delete results.metadata.partial;
    const problems = validateResults(results);
    expect(problems.some((problem) => problem.pointer === '/metadata/recordsSha256')).toBe(true);
    expect(problems.some((problem) => problem.message.includes('partial'))).toBe(true);
  });

  it('hashes records independently of key order', () => {
    const records = sampleResults().records;
    const reordered = records.map((record) => Object.fromEntries(Object.entries(record).reverse())) as typeof records;
    expect(recordsSha256(reordered)).toBe(recordsSha256(records));
    expect(recordsSha256(records.slice(1))).not.toBe(recordsSha256(records));
    expect(recordsSha256(records)).toMatch(/^[0-9a-f]{64}$/);
  });
});
