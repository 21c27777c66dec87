/**
 * An adapter crash, hang or protocol break is a finding, even when a retry on a fresh process answered
 * (issue 14 item 12): this turns the incidents an exec target recorded during a test into evidence the
 * test's record carries, so every report shows them.
 */
import { clip } from '../core/clip-text.ts';
import { diagnostics } from '../core/diagnostics.ts';
import { adapterIncidentDiagnostic, describeIncident, type AdapterIncident } from '../targets/exec.ts';
import type { Evidence } from './result-model.ts';

/** Most incidents attached to one record; the rest are counted in a last text evidence. */
const MAX_INCIDENTS_PER_RECORD = 20;

/**
 * Evidence for each incident: a `harness` entry (the catalogue code of adapterCrash, adapterTimeout,
 * adapterProtocol or adapterStartFailure, with the stderr tail) and a `text` entry saying what
 * happened: exit status, whether xvc killed it, the requests it took down and how many retries a
 * fresh process answered.
 */
export function incidentEvidence(incidents: readonly AdapterIncident[]): Evidence[] {
  const evidence: Evidence[] = [];
  for (const incident of incidents.slice(0, MAX_INCIDENTS_PER_RECORD)) {
    const requests = incident.inFlight.map((request) => `${request.cmd} (seq ${request.seq})`).join(', ');
    evidence.push({ kind: 'harness', code: diagnostics[adapterIncidentDiagnostic[incident.kind]].code, stderr: clip(incident.stderrTail) });
    evidence.push({ kind: 'text', text: clip(`${describeIncident(incident)}${requests === '' ? '' : `; in flight: ${requests}`}; at ${incident.at}${incident.pid === undefined ? '' : `, pid ${incident.pid}`}`) });
  }
  if (incidents.length > MAX_INCIDENTS_PER_RECORD) evidence.push({ kind: 'text', text: `${incidents.length - MAX_INCIDENTS_PER_RECORD} more adapter incident(s) not shown` });
  return evidence;
}

/** One sentence for a record's message: how many incidents, and the first one's cause. */
export function incidentSummary(incidents: readonly AdapterIncident[]): string | undefined {
  const [first] = incidents;
  if (!first) return undefined;
  return `the adapter failed ${incidents.length} time(s) during this test (first: ${describeIncident(first)})`;
}
