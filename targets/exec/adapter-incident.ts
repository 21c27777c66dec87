/**
 * An adapter process that crashed, hung or broke the protocol is a finding about the implementation,
 * even when xvc restarted it and the retried request was answered: nothing about it may be lost.
 * Each such event is one {@link AdapterIncident}, kept by the exec client and exposed by exec targets
 * so that a run can record it next to the results of the test during which it happened.
 */
import type { DiagnosticName } from '../../core/diagnostics.ts';
import type { TargetError } from '../device-target.ts';
import type { Command } from './protocol-messages.ts';

/** What went wrong with the adapter process. */
export type AdapterIncidentKind =
  /** The process exited (or was killed by someone other than xvc) while xvc was using it. */
  | 'crash'
  /** A request got no answer in time; xvc killed the process. */
  | 'timeout'
  /** The adapter broke the framing or the protocol (non-JSON line, unknown seq, line too long); xvc killed it. */
  | 'protocol'
  /** The process could not be started, or did not complete the handshake. */
  | 'start-failure';

/** The catalogue entry (core/diagnostics.ts) of each kind of incident: the harness code results record. */
export const adapterIncidentDiagnostic = {
  crash: 'adapterCrash',
  timeout: 'adapterTimeout',
  protocol: 'adapterProtocol',
  'start-failure': 'adapterStartFailure',
} as const satisfies Record<AdapterIncidentKind, DiagnosticName>;

/** One crash, hang or protocol break of an adapter process. */
export interface AdapterIncident {
  kind: AdapterIncidentKind;
  /** The harness error code the incident maps to. */
  code: TargetError['code'];
  /** What happened, as one sentence naming the adapter. */
  message: string;
  /** The request being answered when it happened, when one can be named (a timeout, a bad answer). */
  request?: { cmd: Command; seq: number };
  /** Requests that were in flight and failed with the process. */
  inFlight: { cmd: Command; seq: number }[];
  /** Exit status, once known: a code, or the signal that ended the process. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when xvc killed the process (after a timeout or a protocol break), false when it ended by itself. */
  killedByXvc: boolean;
  /** The last bytes of the adapter's stderr (up to the configured tail size). */
  stderrTail: string;
  /** Process id of the adapter that failed. */
  pid?: number;
  /** When it happened (ISO 8601). */
  at: string;
  /** How many of the requests in flight were sent again to a fresh process, and how many of those got an answer. */
  retried: number;
  recovered: number;
}

/** Renders an incident as one line for logs and reports: kind, exit status, what failed. */
export function describeIncident(incident: AdapterIncident): string {
  const status = incident.signal ? `signal ${incident.signal}` : incident.exitCode !== null ? `exit code ${incident.exitCode}` : 'still running when killed';
  const retried = incident.retried > 0 ? `; ${incident.recovered} of ${incident.retried} retried request(s) answered by a fresh process` : '';
  return `${incident.kind} (${status}${incident.killedByXvc ? ', killed by xvc' : ''}): ${incident.message}${retried}`;
}
