/**
 * JUnit XML writer: one <testsuite> per target, one <testcase> per requirement × target (several
 * tests of one requirement on one target are folded into it, worst outcome first), requirement id,
 * level, side and reference as properties, failures carrying their evidence as text.
 * xfail is reported as skipped (like pytest), xpass as a failure: it is an unexpected result.
 */
import type { ResultRecord, RunResults } from '../results/result-model.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './escape.ts';
import { clip, evidenceText } from './evidence-text.ts';
import { sortRecords } from './record-order.ts';

function property(name: string, value: string | undefined, indent = 8): string {
  return value === undefined ? '' : `${' '.repeat(indent)}<property name="${attr(name)}" value="${attr(value)}"/>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(records: ResultRecord[]): string {
  return clip(
    records
      .map((record) => [`${record.outcome}: ${record.test}`, record.message, ...record.evidence.map(evidenceText)].filter((part) => part !== '').join('\n'))
      .join('\n\n'),
    100_000,
  );
}

function testcase(records: ResultRecord[]): { xml: string; kind: 'pass' | 'failure' | 'error' | 'skipped' } {
  const [worst] = records as [ResultRecord, ...ResultRecord[]];
  const name = `${worst.requirement}${worst.title !== undefined ? ` ${worst.title}` : ''}`;
  const time = seconds(records.reduce((sum, record) => sum + record.durationMs, 0));
  let body =
    '      <properties>\n' +
    property('requirement', worst.requirement) +
    property('level', worst.level) +
    property('side', worst.side) +
    property('ref', worst.ref) +
    property('target', worst.target) +
    property('outcome', worst.outcome) +
    records.map((record) => property('test', record.test)).join('') +
    (worst.expectation ? property('expectation', worst.expectation.reason) + property('expectation.link', worst.expectation.link) : '') +
    '      </properties>\n';
  const message = worst.message.split('\n')[0] ?? '';
  let kind: 'pass' | 'failure' | 'error' | 'skipped' = 'pass';
  const bad = records.filter((record) => record.outcome !== 'pass');
  if (worst.outcome === 'error') {
    kind = 'error';
    body += `      <error message="${attr(message)}" type="harness-error">${text(details(bad))}</error>\n`;
  } else if (worst.outcome === 'fail' || worst.outcome === 'xpass') {
    kind = 'failure';
    const why = worst.outcome === 'xpass' ? `expected to fail (${worst.expectation?.reason ?? 'expectations file'}) but passed` : message;
    body += `      <failure message="${attr(why)}" type="${worst.outcome}">${text(details(bad))}</failure>\n`;
  } else if (worst.outcome === 'warning') {
    // JUnit has no warning: the case passes (it does not fail the gate) and says why on system-out.
    body += `      <system-out>${text(`WARNING: ${message}\n${details(bad)}`)}</system-out>\n`;
  } else if (worst.outcome === 'xfail') {
    kind = 'skipped';
    body += `      <skipped message="${attr(`expected failure: ${worst.expectation?.reason ?? ''}`)}">${text(details(bad))}</skipped>\n`;
  } else if (worst.outcome === 'skip' || worst.outcome === 'inapplicable') {
    kind = 'skipped';
    body += `      <skipped message="${attr(`${worst.outcome}: ${message}`)}"/>\n`;
  }
  return {
    kind,
    xml: `    <testcase classname="${attr(`xvc.${worst.suite}.${worst.target}`)}" name="${attr(name)}" time="${time}">\n${body}    </testcase>\n`,
  };
}

/** Renders JUnit XML. */
export function renderJunit(results: RunResults): string {
  const byTarget = new Map<string, Map<string, ResultRecord[]>>();
  for (const record of sortRecords(results.records)) {
    const cases = byTarget.get(record.target) ?? new Map<string, ResultRecord[]>();
    byTarget.set(record.target, cases);
    const list = cases.get(record.requirement) ?? [];
    list.push(record);
    cases.set(record.requirement, list);
  }
  const { metadata } = results;
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  let suites = '';
  for (const [target, cases] of [...byTarget].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
    let body = '';
    for (const records of [...cases.values()].sort((a, b) => (a[0]?.requirement ?? '').localeCompare(b[0]?.requirement ?? '', 'en', { numeric: true }))) {
      const rendered = testcase(records);
      counts.tests += 1;
      counts.ms += records.reduce((sum, record) => sum + record.durationMs, 0);
      if (rendered.kind === 'failure') counts.failures += 1;
      if (rendered.kind === 'error') counts.errors += 1;
      if (rendered.kind === 'skipped') counts.skipped += 1;
      body += rendered.xml;
    }
    for (const key of ['tests', 'failures', 'errors', 'skipped', 'ms'] as const) totals[key] += counts[key];
    const targetMetadata = metadata.targets.find((candidate) => candidate.spec === target);
    const properties =
      '    <properties>\n' +
      property('xvc.version', metadata.xvcVersion, 6) +
      property('xvc.commit', metadata.xvcCommit, 6) +
      property('seed', String(metadata.seed), 6) +
      property('records.sha256', metadata.recordsSha256, 6) +
      property('partial', String(metadata.partial), 6) +
      property('target.implementation', targetMetadata?.implementation, 6) +
      property('target.version', targetMetadata?.version, 6) +
      property('target.description', targetMetadata?.description, 6) +
      '    </properties>\n';
    suites +=
      `  <testsuite name="${attr(`xvc ${target}`)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.ms)}" timestamp="${attr(metadata.startedAt)}" hostname="${attr(metadata.host)}">\n` +
      properties +
      body +
      '  </testsuite>\n';
  }
  if (results.runErrors.length > 0) {
    totals.tests += 1;
    totals.errors += 1;
    suites +=
      '  <testsuite name="xvc run" tests="1" failures="0" errors="1" skipped="0" time="0.000">\n' +
      `    <testcase classname="xvc.run" name="run errors" time="0.000">\n      <error message="${attr(`${results.runErrors.length} error(s) outside any test`)}" type="harness-error">${text(clip(results.runErrors.join('\n'), 100_000))}</error>\n    </testcase>\n` +
      '  </testsuite>\n';
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="xvc" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(totals.ms)}">\n` +
    suites +
    '</testsuites>\n'
  );
}
