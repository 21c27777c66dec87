import { describe, expect, it } from 'vitest';
import type { AdapterIncident } from '../targets/exec.ts';
import { incidentEvidence, incidentSummary } from './adapter-incidents.ts';
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
