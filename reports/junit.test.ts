import { describe, expect, it } from 'vitest';
import { controlPayload, htmlPayload, sampleResults, sampleResultsWithRecoveredCrash, scriptPayload } from '../test-support/sample-results.ts';
import { xmlWellFormednessProblems } from '../test-support/xml-well-formed.ts';
import { recordsSha256 } from '../results/records-hash.ts';
import { jenkinsJunitProblems, parseXml, type XmlElement } from '../test-support/jenkins-junit.ts';
import { qemuAllSizedResults } from '../test-support/large-results.ts';
import { renderJunit } from './junit.ts';

function testcases(xml: string): XmlElement[] {
  return parseXml(xml).children.flatMap((suite) => suite.children.filter((child) => child.name === 'testcase'));
}

describe('renderJunit against what Jenkins accepts', () => {
  it('validates against the Jenkins JUnit schema: no per-test properties, no skipped on testsuites', () => {
    for (const results of [sampleResults(), qemuAllSizedResults(), { ...sampleResults(), runErrors: ['boom'] }]) {
      expect(jenkinsJunitProblems(renderJunit(results))).toEqual([]);
    }
  });

  it('has one test case per record, so its totals are the run\'s one total', () => {
    const results = qemuAllSizedResults();
    const xml = renderJunit(results);
    expect(testcases(xml)).toHaveLength(results.records.length);
    const root = parseXml(xml);
    expect(Number(root.attributes.tests)).toBe(results.records.length);
    expect(Number(root.attributes.failures)).toBe(results.records.filter((record) => record.outcome === 'fail' || record.outcome === 'xpass').length);
    expect(Number(root.attributes.errors)).toBe(results.records.filter((record) => record.outcome === 'error').length);
  });

  it('keeps a target with dots from splitting the dotted class name, and names are unique per class', () => {
    const xml = renderJunit(sampleResults());
    const classnames = testcases(xml).map((testcase) => testcase.attributes.classname!);
    expect(classnames).toContain('xvc.frontend.model:linux-6_2');
    expect(classnames).toContain('xvc.device.dump:fixtures/hostile_txt');
    // Jenkins reads everything before the last dot as the package: xvc.<suite>, then one class per target.
    for (const classname of classnames) expect(classname.split('.')).toHaveLength(3);
    const names = testcases(xml).map((testcase) => `${testcase.attributes.classname}\u0000${testcase.attributes.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

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

  it('carries the requirement, its level and reference and the evidence in the failure text', () => {
    const xml = renderJunit(sampleResults());
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    const vendor = /<testcase classname="xvc\.device\.dump:fixtures\/hostile_txt" name="vendor id is 0x1AF4"[^]*?<\/testcase>/.exec(xml)?.[0] ?? '';
    expect(vendor).toMatch(/<failure message="vendor id 0x8086[^"]*" type="fail">fail: PCI-DEV-02 \(MUST\) on dump:fixtures\/hostile.txt — record [0-9a-f]{10}\n/);
    expect(vendor).toContain('reference: VS13 §4.1.2.1 Device Requirements: PCI Device Discovery');
    expect(vendor).toMatch(/\[86\]\[80\]/);
  });

  it('counts failures, errors and skips per target and overall', () => {
    const xml = renderJunit(sampleResults());
    expect(xml).toMatch(/<testsuites name="xvc" tests="10" failures="3" errors="1" time=/);
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

  it('shows an adapter crash a restart recovered from on its target\'s suite only: a property and <system-err>, still valid for Jenkins', () => {
    const xml = renderJunit(sampleResultsWithRecoveredCrash(`panic: ${scriptPayload} ${controlPayload}\n`));
    expect(xmlWellFormednessProblems(xml)).toEqual([]);
    expect(jenkinsJunitProblems(xml)).toEqual([]);
    const suites = parseXml(xml).children;
    const affected = suites.find((suite) => suite.attributes.name === 'xvc exec:./adapter')!;
    const errText = affected.children.find((child) => child.name === 'system-err')?.text ?? '';
    expect(errText).toContain('XVC4011 adapterCrash');
    expect(errText).toContain('1 of 1 retried request(s) answered by a fresh process');
    expect(errText).toContain('during: XEN-INV-06 (pass)');
    expect(errText).toContain('panic: &lt;/script&gt;');
    // The schema's order: properties, test cases, then system-out and system-err.
    expect(affected.children.at(-1)?.name).toBe('system-err');
    const properties = affected.children.find((child) => child.name === 'properties')!.children;
    expect(properties.find((property) => property.attributes.name === 'adapter.incidents')?.attributes.value).toBe('1');
    for (const suite of suites.filter((candidate) => candidate !== affected)) {
      expect(suite.children.some((child) => child.name === 'system-err'), suite.attributes.name).toBe(false);
    }
    expect(renderJunit(sampleResults())).not.toContain('adapter.incidents');
  });
});
