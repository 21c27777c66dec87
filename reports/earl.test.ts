import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import type { ResultRecord } from '../results/result-model.ts';
import { renderEarl } from './earl.ts';

interface Node {
  '@id'?: string;
  '@type'?: string | string[];
  [key: string]: unknown;
}

describe('renderEarl', () => {
  const document = JSON.parse(renderEarl(sampleResults())) as { '@context': Record<string, string>; '@graph': Node[] };
  const assertions = document['@graph'].filter((node) => node['@type'] === 'earl:Assertion');

  it('uses the EARL vocabulary in its context', () => {
    expect(document['@context'].earl).toBe('http://www.w3.org/ns/earl#');
    expect(document['@context'].dct).toBe('http://purl.org/dc/terms/');
  });

  it('has one assertion per record, by xvc, about the target, for the test', () => {
    expect(assertions).toHaveLength(10);
    const vendor = assertions.find((node) => (node['earl:test'] as Node)['@id']?.includes('PCI-DEV-02'));
    expect(vendor?.['earl:assertedBy']).toEqual({ '@id': 'urn:xvc:assertor' });
    expect(vendor?.['earl:subject']).toEqual({ '@id': 'urn:xvc:target:dump%3Afixtures%2Fhostile.txt' });
    expect(vendor?.['earl:mode']).toEqual({ '@id': 'earl:automatic' });
  });

  it('maps outcomes to earl:passed/failed/cantTell/inapplicable/untested', () => {
    const byOutcome = new Map(assertions.map((node) => {
      const result = node['earl:result'] as Node;
      return [result['xvc:outcome'] as string, (result['earl:outcome'] as Node)['@id']];
    }));
    expect(Object.fromEntries(byOutcome)).toEqual({
      fail: 'earl:failed',
      xfail: 'earl:failed',
      error: 'earl:cantTell',
      pass: 'earl:passed',
      inapplicable: 'earl:inapplicable',
      skip: 'earl:untested',
    });
  });

  it('describes targets as test subjects with their (untrusted) names as plain strings', () => {
    const subject = document['@graph'].find((node) => node['@id'] === 'urn:xvc:target:dump%3Afixtures%2Fhostile.txt');
    expect(subject?.['@type']).toContain('earl:TestSubject');
    expect(subject?.['doap:name']).toBe('EvilNIC <img src=x onerror=alert(1)>');
    const requirement = document['@graph'].find((node) => node['@id'] === 'urn:xvc:requirement:PCI-DEV-02');
    expect(requirement?.['dct:source']).toBe('VS13 §4.1.2.1 Device Requirements: PCI Device Discovery');
  });

  it('names one test case for a check on two implementations, so they line up per test', () => {
    const results = sampleResults();
    const base = results.records.find((record) => record.requirement === 'XEN-INV-03')!;
    const other: ResultRecord = { ...base, id: base.id.replace(base.target, 'exec:./adapter'), target: 'exec:./adapter', test: base.test.replace(base.target, 'exec:./adapter'), outcome: 'pass', evidence: [] };
    const graph = (JSON.parse(renderEarl({ ...results, records: [base, other] })) as { '@graph': Node[] })['@graph'];
    const lined = graph.filter((node) => node['@type'] === 'earl:Assertion');
    expect(lined).toHaveLength(2);
    expect((lined[0]!['earl:test'] as Node)['@id']).toBe((lined[1]!['earl:test'] as Node)['@id']);
    expect((lined[0]!['earl:test'] as Node)['@id']).not.toContain(encodeURIComponent(base.target));
    expect(graph.filter((node) => node['@type'] === 'earl:TestCase')).toHaveLength(1);
    expect(lined[0]!['earl:subject']).not.toEqual(lined[1]!['earl:subject']);
  });

  it('gives each assertion the short record id, and a counterexample the replay command for where the results are', () => {
    const graph = (JSON.parse(renderEarl(sampleResults(), { replayFrom: 'ci artifacts/xvc-report' })) as { '@graph': Node[] })['@graph'];
    const counterexample = graph.find((node) => node['@type'] === 'earl:Assertion' && typeof node['xvc:replay'] === 'string')!;
    expect(counterexample['xvc:record']).toMatch(/^[0-9a-f]{10}$/);
    expect(counterexample['xvc:replay']).toBe(`xvc replay --from 'ci artifacts/xvc-report' --record ${String(counterexample['xvc:record'])}`);
    expect(((counterexample['earl:result'] as Node)['earl:info'] as string)).toContain(`replay: ${String(counterexample['xvc:replay'])}`);
  });
});
