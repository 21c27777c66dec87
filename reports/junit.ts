/**
 * JUnit XML writer, valid against the JUnit schema Jenkins reads (the xUnit plugin's junit-10.xsd):
 * one <testsuite> per target with the run's provenance as suite properties, and one <testcase> per
 * result record, so that the totals are the run's one total. A test case has no properties (the
 * schema has none there): the requirement, statement, condition, evidence and replay command of a
 * failure are in its <failure> text.
 *
 * Jenkins splits a class name at its dots into package and class: the class name is
 * `xvc.<suite>.<target>`, with the dots of the target written as `_` so that `model:linux-6.5` stays
 * one class. A test's name is its name without the target (results/test-key.ts), so one check has
 * the same name on every target.
 *
 * xfail is reported as skipped (like pytest), xpass as a failure: it is an unexpected result; a
 * warning passes (it fails no gate) and says so on <system-out>.
 *
 * An adapter that crashed, hung or broke the protocol is a finding even when a restart answered and
 * every test passed: its target's suite says so in its `adapter.incidents` property and, one
 * paragraph per incident with the end of the adapter's stderr, in the suite's <system-err> (the
 * schema's place for it: after the test cases).
 */
import { describeDiagnosticCode } from '../core/diagnostics.ts';
import { incidentDuring, recordedIncidents, stderrEnd, type RecordedIncident } from '../results/adapter-incidents.ts';
import type { ResultRecord, RunResults } from '../results/result-model.ts';
import { replayCommands, replayStartsProgram } from '../results/replay-command.ts';
import { shortRecordIds } from '../results/short-record-id.ts';
import { testWithoutTarget } from '../results/test-key.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './escape.ts';
import { clip, evidenceText } from './evidence-text.ts';
import { sortRecords } from './record-order.ts';

/** Options of {@link renderJunit}. */
export interface JunitOptions {
  /** Where the results are, for the replay commands (default: as the results recorded them). */
  replayFrom?: string;
}

function property(name: string, value: string | undefined): string {
  return value === undefined ? '' : `      <property name="${attr(name)}" value="${attr(value)}"/>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The class a target's test cases belong to: dots of the target would split it into packages. */
export function junitClassName(record: Pick<ResultRecord, 'suite' | 'target'>): string {
  return `xvc.${record.suite.replace(/\./g, '_')}.${record.target.replace(/\./g, '_')}`;
}

/** The test's name without its target groups (`frontend {target} > `): the class already names the target. */
function caseName(record: ResultRecord): string {
  return testWithoutTarget(record)
    .split(' > ')
    .filter((group) => !group.endsWith('{target}'))
    .join(' > ');
}

/** What a failure or skip says about its record: the statement, the condition, the message, the evidence, the replay. */
function details(record: ResultRecord, shortId: string, replay: string | undefined): string {
  const lines = [`${record.outcome}: ${record.requirement}${record.level !== undefined ? ` (${record.level})` : ''} on ${record.target} — record ${shortId}`];
  if (record.statement !== undefined) lines.push(`statement: ${record.statement}`);
  if (record.ref !== undefined) lines.push(`reference: ${record.ref}`);
  if (record.condition !== undefined) lines.push(`condition tested: ${record.condition}`);
  if (record.expectation !== undefined) lines.push(`expectation: ${record.expectation.reason}${record.expectation.link !== undefined ? ` (${record.expectation.link})` : ''}`);
  if (record.message !== '') lines.push('', record.message);
  for (const evidence of record.evidence) lines.push('', evidenceText(evidence, replay));
  if (replay !== undefined && replayStartsProgram(record.target)) lines.push('', `(the replay command starts ${record.target} again, as this run did: check it before you run it)`);
  return clip(lines.join('\n'), 100_000);
}

type CaseKind = 'pass' | 'failure' | 'error' | 'skipped';

function testcase(record: ResultRecord, name: string, shortId: string, replay: string | undefined): { xml: string; kind: CaseKind } {
  const message = record.message.split('\n')[0] ?? '';
  let body = '';
  let kind: CaseKind = 'pass';
  switch (record.outcome) {
    case 'error':
      kind = 'error';
      body = `      <error message="${attr(message)}" type="harness-error">${text(details(record, shortId, replay))}</error>\n`;
      break;
    case 'fail':
    case 'xpass': {
      kind = 'failure';
      const why = record.outcome === 'xpass' ? `expected to fail (${record.expectation?.reason ?? 'expectations file'}) but passed` : message;
      body = `      <failure message="${attr(why)}" type="${record.outcome}">${text(details(record, shortId, replay))}</failure>\n`;
      break;
    }
    case 'warning':
      body = `      <system-out>${text(`WARNING (not a failure; fails the gate only with --strict): ${details(record, shortId, replay)}`)}</system-out>\n`;
      break;
    case 'xfail':
      kind = 'skipped';
      body = `      <skipped message="${attr(`expected failure: ${record.expectation?.reason ?? ''}`)}">${text(details(record, shortId, replay))}</skipped>\n`;
      break;
    case 'skip':
    case 'inapplicable':
      kind = 'skipped';
      body = `      <skipped message="${attr(`${record.outcome}: ${message}`)}"/>\n`;
      break;
    case 'pass':
      break;
  }
  const open = `    <testcase classname="${attr(junitClassName(record))}" name="${attr(name)}" time="${seconds(record.durationMs)}"`;
  return { kind, xml: body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n` };
}

/** Most adapter incidents a suite's <system-err> details; results.json keeps every one. */
const MAX_INCIDENTS_SHOWN = 20;

/** The <system-err> text of a target's adapter incidents: kind, code, what happened, during which requirements, the end of stderr. */
function incidentsText(incidents: readonly RecordedIncident[]): string {
  const paragraphs = incidents.slice(0, MAX_INCIDENTS_SHOWN).map((incident) => {
    const lines = [`adapter ${incident.kind}, ${describeDiagnosticCode(incident.code)}: ${incident.description}`, `during: ${incidentDuring(incident)}`];
    if (incident.stderrTail.trim() !== '') lines.push('stderr (the end):', stderrEnd(incident.stderrTail));
    return lines.join('\n');
  });
  if (incidents.length > MAX_INCIDENTS_SHOWN) paragraphs.push(`... and ${incidents.length - MAX_INCIDENTS_SHOWN} more adapter incident(s) (results.json has every one)`);
  return `${incidents.length} adapter incident(s): the adapter failed while xvc used it (xvc restarted it; results a fresh process answered count as they came out)\n\n${paragraphs.join('\n\n')}`;
}

/** Renders JUnit XML. */
export function renderJunit(results: RunResults, options: JunitOptions = {}): string {
  const byTarget = new Map<string, ResultRecord[]>();
  for (const record of sortRecords(results.records)) {
    const list = byTarget.get(record.target);
    if (list === undefined) byTarget.set(record.target, [record]);
    else list.push(record);
  }
  const shortIds = shortRecordIds(results.records);
  const replays = replayCommands(results.records, options.replayFrom, shortIds);
  const { metadata } = results;
  const incidentsByTarget = new Map<string, RecordedIncident[]>();
  for (const incident of recordedIncidents(results.records)) incidentsByTarget.set(incident.target, [...(incidentsByTarget.get(incident.target) ?? []), incident]);
  const totals = { tests: 0, failures: 0, errors: 0, ms: 0 };
  let suites = '';
  for (const [target, records] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
    // A name shared by several records of the target (one check judging several requirements) gets its requirement.
    const names = new Map<string, number>();
    for (const record of records) names.set(caseName(record), (names.get(caseName(record)) ?? 0) + 1);
    let body = '';
    for (const record of records) {
      const plain = caseName(record);
      const rendered = testcase(record, names.get(plain)! > 1 ? `${plain} [${record.requirement}]` : plain, shortIds.get(record.id)!, replays.get(record.id));
      counts.tests += 1;
      counts.ms += record.durationMs;
      if (rendered.kind === 'failure') counts.failures += 1;
      if (rendered.kind === 'error') counts.errors += 1;
      if (rendered.kind === 'skipped') counts.skipped += 1;
      body += rendered.xml;
    }
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.ms += counts.ms;
    const targetMetadata = metadata.targets.find((candidate) => candidate.spec === target);
    const incidents = incidentsByTarget.get(target);
    const properties =
      '    <properties>\n' +
      property('target', target) +
      property('xvc.version', metadata.xvcVersion) +
      property('xvc.commit', metadata.xvcCommit) +
      property('seed', String(metadata.seed)) +
      property('records.sha256', metadata.recordsSha256) +
      property('partial', String(metadata.partial)) +
      property('target.implementation', targetMetadata?.implementation) +
      property('target.version', targetMetadata?.version) +
      property('target.description', targetMetadata?.description) +
      property('adapter.incidents', incidents === undefined ? undefined : String(incidents.length)) +
      '    </properties>\n';
    suites +=
      `  <testsuite name="${attr(`xvc ${target}`)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.ms)}" timestamp="${attr(metadata.startedAt)}" hostname="${attr(metadata.host)}">\n` +
      properties +
      body +
      (incidents === undefined ? '' : `    <system-err>${text(clip(incidentsText(incidents), 100_000))}</system-err>\n`) +
      '  </testsuite>\n';
  }
  if (results.runErrors.length > 0) {
    totals.tests += 1;
    totals.errors += 1;
    suites +=
      '  <testsuite name="xvc run" tests="1" failures="0" errors="1" skipped="0" time="0.000">\n' +
      `    <testcase classname="xvc.run.errors" name="run errors" time="0.000">\n      <error message="${attr(`${results.runErrors.length} error(s) outside any test`)}" type="harness-error">${text(clip(results.runErrors.join('\n'), 100_000))}</error>\n    </testcase>\n` +
      '  </testsuite>\n';
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="xvc" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${seconds(totals.ms)}">\n` +
    suites +
    '</testsuites>\n'
  );
}
