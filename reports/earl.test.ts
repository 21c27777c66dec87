import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
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
});
