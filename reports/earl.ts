/**
 * EARL writer: the W3C Evaluation and Report Language as JSON-LD. One earl:Assertion per record:
 * xvc asserts that the target (earl:subject) gave an outcome for a test case that checks a
 * requirement (earl:test → dct:isPartOf the requirement). A test case is the check apart from the
 * target it ran on (results/test-key.ts), so the assertions about two implementations name the same
 * earl:test and line up per test.
 */
import type { Outcome, ResultRecord, RunResults } from '../results/result-model.ts';
import { replayCommands } from '../results/replay-command.ts';
import { shortRecordIds } from '../results/short-record-id.ts';
import { testKey, testWithoutTarget } from '../results/test-key.ts';
import { evidenceText } from './evidence-text.ts';

/** Options of {@link renderEarl}. */
export interface EarlOptions {
  /** Where the results are, for the replay commands (default: as the results recorded them). */
  replayFrom?: string;
}

/** EARL outcome value for each xvc outcome. xfail is a failure that was expected; xpass a pass. */
export const earlOutcome: Record<Outcome, string> = {
  pass: 'earl:passed',
  xpass: 'earl:passed',
  fail: 'earl:failed',
  warning: 'earl:failed',
  xfail: 'earl:failed',
  error: 'earl:cantTell',
  inapplicable: 'earl:inapplicable',
  skip: 'earl:untested',
};

const context = {
  earl: 'http://www.w3.org/ns/earl#',
  dct: 'http://purl.org/dc/terms/',
  doap: 'http://usefulinc.com/ns/doap#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  xvc: 'urn:xvc:',
};

/** IRI of a target: its spec, percent-encoded (target specs are untrusted and contain `:` and `/`). */
function targetIri(spec: string): string {
  return `urn:xvc:target:${encodeURIComponent(spec)}`;
}

/** IRI of a test case: the same for every target the check ran on. */
export function testIri(record: Pick<ResultRecord, 'suite' | 'test' | 'target' | 'requirement'>): string {
  return `urn:xvc:test:${encodeURIComponent(testKey(record))}`;
}

function requirementIri(id: string): string {
  return `urn:xvc:requirement:${encodeURIComponent(id)}`;
}

/** Renders the run as an EARL JSON-LD document. */
export function renderEarl(results: RunResults, options: EarlOptions = {}): string {
  const { metadata } = results;
  const date = metadata.finishedAt ?? metadata.startedAt;
  const graph: object[] = [
    {
      '@id': 'urn:xvc:assertor',
      '@type': ['earl:Assertor', 'earl:Software', 'doap:Project'],
      'doap:name': 'xvc',
      'dct:description': 'Specification-driven conformance suite for virtio-PCI devices used by Xen guests with grant mappings',
      'doap:release': { '@type': 'doap:Version', 'doap:revision': metadata.xvcVersion, ...(metadata.xvcCommit !== undefined && { 'xvc:commit': metadata.xvcCommit }) },
      'xvc:seed': metadata.seed,
      'xvc:recordsSha256': metadata.recordsSha256,
      'xvc:partial': metadata.partial,
    },
  ];
  const targets = new Set(results.records.map((record) => record.target));
  for (const spec of targets) {
    const target = metadata.targets.find((candidate) => candidate.spec === spec);
    graph.push({
      '@id': targetIri(spec),
      '@type': ['earl:TestSubject', 'doap:Project'],
      'dct:identifier': spec,
      'doap:name': target?.implementation ?? spec,
      ...(target?.version !== undefined && { 'doap:release': { '@type': 'doap:Version', 'doap:revision': target.version } }),
      ...(target?.description !== undefined && { 'dct:description': target.description }),
    });
  }
  const requirements = new Map<string, ResultRecord>();
  for (const record of results.records) if (!requirements.has(record.requirement)) requirements.set(record.requirement, record);
  for (const [id, record] of requirements) {
    graph.push({
      '@id': requirementIri(id),
      '@type': 'earl:TestRequirement',
      'dct:identifier': id,
      ...(record.title !== undefined && { 'dct:title': record.title }),
      ...(record.ref !== undefined && { 'dct:source': record.ref }),
      ...(record.level !== undefined && { 'xvc:level': record.level }),
      ...(record.side !== undefined && { 'xvc:side': record.side }),
    });
  }
  const tests = new Set<string>();
  const shortIds = shortRecordIds(results.records);
  const replays = replayCommands(results.records, options.replayFrom, shortIds);
  for (const record of results.records) {
    const test = testIri(record);
    if (!tests.has(test)) {
      tests.add(test);
      graph.push({
        '@id': test,
        '@type': 'earl:TestCase',
        'dct:title': testWithoutTarget(record),
        'dct:isPartOf': { '@id': requirementIri(record.requirement) },
        'xvc:suite': record.suite,
      });
    }
    const replay = replays.get(record.id);
    const info = [record.message, ...record.evidence.map((evidence) => evidenceText(evidence, replay)), record.expectation ? `expected failure: ${record.expectation.reason}` : '']
      .filter((part) => part !== '')
      .join('\n\n');
    graph.push({
      '@type': 'earl:Assertion',
      'earl:assertedBy': { '@id': 'urn:xvc:assertor' },
      'earl:subject': { '@id': targetIri(record.target) },
      'earl:test': { '@id': test },
      'earl:mode': { '@id': 'earl:automatic' },
      'xvc:record': shortIds.get(record.id),
      ...(replay !== undefined && { 'xvc:replay': replay }),
      'earl:result': {
        '@type': 'earl:TestResult',
        'earl:outcome': { '@id': earlOutcome[record.outcome] },
        'xvc:outcome': record.outcome,
        'dct:date': { '@value': date, '@type': 'xsd:dateTime' },
        ...(info !== '' && { 'earl:info': info }),
      },
    });
  }
  return `${JSON.stringify({ '@context': context, '@graph': graph }, null, 2)}\n`;
}
