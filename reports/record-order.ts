/** Orders records the way every report lists them: worst outcome first, then requirement, target. */
import { outcomes, type ResultRecord } from '../results/result-model.ts';

/** Compares two records: outcome severity, then requirement id, target and test. */
export function compareRecords(a: ResultRecord, b: ResultRecord): number {
  return (
    outcomes.indexOf(a.outcome) - outcomes.indexOf(b.outcome) ||
    a.requirement.localeCompare(b.requirement, 'en', { numeric: true }) ||
    a.target.localeCompare(b.target) ||
    a.test.localeCompare(b.test)
  );
}

/** A sorted copy. */
export function sortRecords(records: readonly ResultRecord[]): ResultRecord[] {
  return [...records].sort(compareRecords);
}

/** Outcomes that make a run not conformant (with `error`, which makes it incomplete). */
export function isUnexpected(record: ResultRecord): boolean {
  return record.outcome === 'fail' || record.outcome === 'xpass' || record.outcome === 'error';
}
