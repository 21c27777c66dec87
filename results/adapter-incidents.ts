/**
 * An adapter crash, hang or protocol break is a finding, even when a retry on a fresh process answered
 * (issue 14 item 12): this turns the incidents an exec target recorded during a test into evidence the
 * test's record carries, so every report shows them.
 */
import { clip } from '../core/clip-text.ts';
import { diagnosticForCode, diagnostics, type DiagnosticName } from '../core/diagnostics.ts';
import { adapterIncidentDiagnostic, describeIncident, type AdapterIncident, type AdapterIncidentKind } from '../targets/exec.ts';
import type { Evidence, Outcome, ResultRecord } from './result-model.ts';

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
    // describeIncident counts retries only when there were some: say so when none was retried either.
    const noRetry = incident.retried === 0 ? '; no request retried' : '';
    evidence.push({ kind: 'text', text: clip(`${describeIncident(incident)}${noRetry}${requests === '' ? '' : `; in flight: ${requests}`}; at ${incident.at}${incident.pid === undefined ? '' : `, pid ${incident.pid}`}`) });
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

/** The kind of incident each catalogue entry of {@link adapterIncidentDiagnostic} records. */
const incidentKinds: ReadonlyMap<DiagnosticName, AdapterIncidentKind> = new Map(
  (Object.entries(adapterIncidentDiagnostic) as [AdapterIncidentKind, DiagnosticName][]).map(([kind, name]) => [name, kind]),
);

/** One adapter incident as results hold it: read back from the evidence {@link incidentEvidence} gave the records of its test. */
export interface RecordedIncident {
  target: string;
  kind: AdapterIncidentKind;
  /** Its catalogue code (adapterCrash is XVC4011), as the results recorded it or its current form. */
  code: string;
  /** What happened: the exit status, the adapter, the requests retried and answered, in flight, when, pid. */
  description: string;
  /** The adapter's last stderr, as recorded (already clipped); '' when it wrote none. */
  stderrTail: string;
  /** The records that carry it, i.e. the requirements judged by the test it happened during, and their outcomes. */
  records: { requirement: string; outcome: Outcome }[];
}

/**
 * Every adapter incident of `records`, once each, in the order they were recorded. A test judging
 * several requirements carries its incidents on each of its records: one incident is one harness
 * evidence of an incident code (also a former one, from older results) with the text evidence after
 * it, on the same target; the text names the time and the pid, so two incidents never look alike.
 */
export function recordedIncidents(records: readonly ResultRecord[]): RecordedIncident[] {
  const found = new Map<string, RecordedIncident>();
  for (const record of records) {
    record.evidence.forEach((evidence, index) => {
      if (evidence.kind !== 'harness') return;
      const entry = diagnosticForCode(evidence.code);
      const kind = entry === undefined ? undefined : incidentKinds.get(entry.name);
      if (kind === undefined) return;
      const next = record.evidence[index + 1];
      const description = next?.kind === 'text' ? next.text : '';
      const stderrTail = evidence.stderr ?? '';
      const key = JSON.stringify([record.target, entry!.code, description, stderrTail]);
      let incident = found.get(key);
      if (incident === undefined) {
        incident = { target: record.target, kind, code: entry!.code, description, stderrTail, records: [] };
        found.set(key, incident);
      }
      incident.records.push({ requirement: record.requirement, outcome: record.outcome });
    });
  }
  return [...found.values()];
}

/** The incidents of each kind, as `1 crash, 2 timeout`: the kinds in the order of {@link adapterIncidentDiagnostic}. */
export function incidentKindCounts(incidents: readonly RecordedIncident[]): string {
  return (Object.keys(adapterIncidentDiagnostic) as AdapterIncidentKind[])
    .map((kind) => [kind, incidents.filter((incident) => incident.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}

/** The requirements judged by the test an incident happened during, with their outcomes: `XEN-INV-01 (pass), XEN-INV-02 (pass)`. */
export function incidentDuring(incident: RecordedIncident, limit = 5): string {
  const judged = [...new Set(incident.records.map((record) => `${record.requirement} (${record.outcome})`))];
  return `${judged.slice(0, limit).join(', ')}${judged.length > limit ? ` and ${judged.length - limit} more` : ''}`;
}

/** The last `limit` characters of a stderr tail (trailing white space dropped), saying how much came before: the end of stderr is what explains a crash. */
export function stderrEnd(text: string, limit = 2000): string {
  const tail = text.trimEnd();
  return tail.length <= limit ? tail : `… (${tail.length - limit} earlier characters)\n${tail.slice(-limit)}`;
}
