import { describe, expect, it } from 'vitest';
import { diagnostics } from '../../core/diagnostics.ts';
import { adapterIncidentDiagnostic, describeIncident, type AdapterIncident } from './adapter-incident.ts';

function incident(overrides: Partial<AdapterIncident> = {}): AdapterIncident {
  return {
    kind: 'crash',
    code: 'XVC4001',
    message: "adapter './a' exited with code 139",
    inFlight: [{ cmd: 'decide', seq: 4 }],
    exitCode: 139,
    signal: null,
    killedByXvc: false,
    stderrTail: 'segfault',
    at: '2026-01-01T00:00:00.000Z',
    retried: 0,
    recovered: 0,
    ...overrides,
  } as AdapterIncident;
}

describe('describeIncident', () => {
  it('says the kind, the exit status and the message', () => {
    expect(describeIncident(incident())).toBe("crash (exit code 139): adapter './a' exited with code 139");
  });

  it('prefers the signal to the exit code, says when xvc killed the process, and when it was still running', () => {
    expect(describeIncident(incident({ kind: 'timeout', signal: 'SIGKILL', exitCode: null, killedByXvc: true, message: 'no answer' }))).toBe('timeout (signal SIGKILL, killed by xvc): no answer');
    expect(describeIncident(incident({ kind: 'protocol', exitCode: null, killedByXvc: true, message: 'garbage' }))).toBe('protocol (still running when killed, killed by xvc): garbage');
  });

  it('counts what a fresh process answered of the requests sent again', () => {
    expect(describeIncident(incident({ retried: 3, recovered: 2 }))).toBe("crash (exit code 139): adapter './a' exited with code 139; 2 of 3 retried request(s) answered by a fresh process");
  });
});

describe('adapterIncidentDiagnostic', () => {
  it('names a target-category entry of the catalogue for every kind of incident, each a different one', () => {
    const names = Object.values(adapterIncidentDiagnostic);
    expect(Object.keys(adapterIncidentDiagnostic).sort()).toEqual(['crash', 'protocol', 'start-failure', 'timeout']);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(diagnostics[name].category, name).toBe('target');
  });
});
