import { describe, expect, it } from 'vitest';
import type { AdapterIncident } from '../targets/exec.ts';
import { incidentDuring, incidentEvidence, incidentKindCounts, incidentSummary, recordedIncidents, stderrEnd } from './adapter-incidents.ts';
import { validateRecord } from './validate-results.ts';
import { sampleRecords } from '../test-support/sample-results.ts';

const crash: AdapterIncident = {
  kind: 'crash',
  code: 'XVC4001',
  message: "adapter './a' exited with code 134",
  inFlight: [{ cmd: 'decide', seq: 7 }],
  exitCode: 134,
  signal: null,
  killedByXvc: false,
  stderrTail: 'assertion failed in decide\n',
  pid: 4242,
  at: '2026-12-04T17:00:00.000Z',
  retried: 1,
  recovered: 1,
};

describe('adapter incidents as evidence', () => {
  it('gives a harness entry with the stderr tail and a text entry with exit status, requests and retries', () => {
    const evidence = incidentEvidence([crash]);
    expect(evidence[0]).toEqual({ kind: 'harness', code: 'XVC4011', stderr: 'assertion failed in decide\n' });
    expect(evidence[1]).toMatchObject({ kind: 'text', text: expect.stringContaining('crash (exit code 134)') });
    expect((evidence[1] as { text: string }).text).toContain('1 of 1 retried request(s) answered by a fresh process; in flight: decide (seq 7)');
  });

  it('keeps a record valid against the results schema when attached to it', () => {
    const [record] = sampleRecords();
    expect(validateRecord({ ...record!, evidence: [...record!.evidence, ...incidentEvidence([crash, { ...crash, kind: 'timeout', signal: 'SIGKILL', exitCode: null, killedByXvc: true }])] })).toEqual([]);
  });

  it('summarises the count and the first cause, and nothing when there was none', () => {
    expect(incidentSummary([crash, crash])).toBe(`the adapter failed 2 time(s) during this test (first: crash (exit code 134): adapter './a' exited with code 134; 1 of 1 retried request(s) answered by a fresh process)`);
    expect(incidentSummary([])).toBeUndefined();
  });
});

describe('adapter incidents read back from results', () => {
  const timeout: AdapterIncident = { ...crash, kind: 'timeout', code: 'XVC4002', signal: 'SIGKILL', exitCode: null, killedByXvc: true, stderrTail: '', pid: 4343, at: '2026-12-04T17:00:05.000Z', retried: 0, recovered: 0 };
  const [first, second, third] = sampleRecords();

  it('finds each incident once, though every record of its test carries it, with target, kind, code, description, stderr and the records', () => {
    // One test judging two requirements: both records carry the same crash; another test has a timeout.
    const records = [
      { ...first!, evidence: [...first!.evidence, ...incidentEvidence([crash])] },
      { ...second!, target: first!.target, evidence: [...incidentEvidence([crash])] },
      { ...third!, target: 'exec:./other', evidence: [...incidentEvidence([timeout])] },
    ];
    const incidents = recordedIncidents(records);
    expect(incidents).toHaveLength(2);
    expect(incidents[0]).toMatchObject({ target: first!.target, kind: 'crash', code: 'XVC4011', stderrTail: 'assertion failed in decide\n' });
    expect(incidents[0]!.description).toContain('1 of 1 retried request(s) answered by a fresh process');
    expect(incidents[0]!.records).toEqual([
      { requirement: first!.requirement, outcome: first!.outcome },
      { requirement: second!.requirement, outcome: second!.outcome },
    ]);
    expect(incidents[1]).toMatchObject({ target: 'exec:./other', kind: 'timeout', code: 'XVC4012', stderrTail: '' });
    // No request retried is said too, so a reader always learns what the restart recovered.
    expect(incidents[1]!.description).toContain('no request retried');
    expect(incidentKindCounts(incidents)).toBe('1 crash, 1 timeout');
    expect(incidentDuring(incidents[0]!)).toBe(`${first!.requirement} (${first!.outcome}), ${second!.requirement} (${second!.outcome})`);
  });

  it('tells two crashes of one adapter apart, reads a former code, and ignores a harness error that is no incident', () => {
    const later = { ...crash, at: '2026-12-04T17:01:00.000Z', pid: 4444 };
    const records = [
      { ...first!, evidence: incidentEvidence([crash, later]) },
      { ...second!, evidence: [{ kind: 'harness' as const, code: 'adapter-protocol', stderr: 'old results' }, { kind: 'text' as const, text: 'protocol: a line that is not JSON' }] },
      { ...third!, evidence: [{ kind: 'harness' as const, code: 'XVC4001', stderr: 'the target crashed' }] },
    ];
    const incidents = recordedIncidents(records);
    expect(incidents.map((incident) => [incident.kind, incident.code])).toEqual([
      ['crash', 'XVC4011'],
      ['crash', 'XVC4011'],
      ['protocol', 'XVC4013'],
    ]);
    expect(incidentKindCounts(incidents)).toBe('2 crash, 1 protocol');
    expect(recordedIncidents(sampleRecords())).toEqual([]);
  });

  it('shows the end of a long stderr, saying how much came before', () => {
    const long = `${'early line\n'.repeat(300)}the reason it died\n\n`;
    const shown = stderrEnd(long, 100);
    expect(shown.endsWith('the reason it died')).toBe(true);
    expect(shown).toContain(`(${long.trimEnd().length - 100} earlier characters)`);
    expect(stderrEnd('short\n')).toBe('short');
  });
});
