import { describe, expect, it } from 'vitest';
import { controlPayload, htmlPayload, sampleResults, scriptPayload } from '../test-support/sample-results.ts';
import { xmlWellFormednessProblems } from '../test-support/xml-well-formed.ts';
import { recordsSha256 } from '../results/records-hash.ts';
import { renderJunit } from './junit.ts';

describe('renderJunit', () => {
  it('is well-formed XML even with markup, control characters and ]]> in target strings', () => {
    const xml = renderJunit(sampleResults());
    expect(xmlWellFormednessProblems(xml)).toEqual([]);
    expect(xml).not.toContain(htmlPayload);
    expect(xml).not.toContain(scriptPayload);
    expect(xml).toContain('EvilNIC &lt;img src=x onerror=alert(1)&gt;');
    expect(xml).toContain('NUL\\u{0} BEL\\u{7} ESC\\u{1b}');
    expect(xml).not.toMatch(/[\u0000\u0007\u001b]/);
    expect(controlPayload).toContain('\u0000');
  });

  it('has one test case per requirement × target with the requirement as properties', () => {
    const xml = renderJunit(sampleResults());
    // 10 records, of which two XEN-INV-06 passes differ by target only: 10 (requirement, target) pairs.
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    const vendor = /<testcase classname="xvc\.device\.dump:fixtures\/hostile\.txt" name="PCI-DEV-02 Vendor ID is 0x1AF4"[^]*?<\/testcase>/.exec(xml)?.[0] ?? '';
    expect(vendor).toContain('<property name="requirement" value="PCI-DEV-02"/>');
    expect(vendor).toContain('<property name="level" value="MUST"/>');
    expect(vendor).toContain('<property name="ref" value="VS13 §4.1.2.1 Device Requirements: PCI Device Discovery"/>');
    expect(vendor).toMatch(/<failure message="vendor id 0x8086[^"]*" type="fail">[^<]*\[86\]\[80\]/);
  });

  it('counts failures, errors and skips per target and overall', () => {
    const xml = renderJunit(sampleResults());
    expect(xml).toMatch(/<testsuites name="xvc" tests="10" failures="3" errors="1" skipped="3"/);
    expect(xml).toMatch(/<testsuite name="xvc dump:fixtures\/hostile.txt" tests="2" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="xvc exec:.\/adapter" tests="1" failures="0" errors="1" skipped="0"/);
  });

  it('reports an xpass as a failure and an xfail as skipped with its reason', () => {
    const results = sampleResults();
    const records = results.records.map((record) =>
      record.target === 'reference' && record.requirement === 'XEN-INV-06'
        ? { ...record, outcome: 'xpass' as const, expectation: { target: 'reference', requirement: 'XEN-INV-06', reason: 'old bug' } }
        : record,
    );
    const xml = renderJunit({ ...results, records, metadata: { ...results.metadata, recordsSha256: recordsSha256(records) } });
    expect(xml).toContain('<failure message="expected to fail (old bug) but passed" type="xpass">');
    expect(xml).toContain('<skipped message="expected failure: vendor data is backend-written by design">');
    expect(xmlWellFormednessProblems(xml)).toEqual([]);
  });

  it('adds run errors as an errored test case', () => {
    const xml = renderJunit({ ...sampleResults(), runErrors: ['suites/x.suite.ts: SyntaxError <boom>'] });
    expect(xml).toContain('name="run errors"');
    expect(xml).toContain('SyntaxError &lt;boom&gt;');
    expect(xmlWellFormednessProblems(xml)).toEqual([]);
  });
});
