/**
 * Orders records the way every report lists them: worst outcome first, then requirement (numbers in
 * ids compared as numbers: PCI-DEV-2 before PCI-DEV-10), target and test.
 *
 * Reports sort every record of a run, and a large run has hundreds of thousands: each record's sort
 * key is computed once and compared with plain string comparison. (Comparing with
 * `localeCompare(..., 'en', { numeric: true })` inside the comparator built a collator per call and
 * took minutes for 240,000 records.)
 */
import { outcomes, type Outcome, type ResultRecord } from '../results/result-model.ts';

const outcomeRank = new Map<Outcome, number>(outcomes.map((outcome, index) => [outcome, index]));

/** Digit runs padded to one width, so that plain string order puts 2 before 10. */
export function naturalKey(text: string): string {
  return text.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

interface Keyed {
  record: ResultRecord;
  rank: number;
  requirement: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeyed(a: Keyed, b: Keyed): number {
  return a.rank - b.rank || compareText(a.requirement, b.requirement) || compareText(a.record.target, b.record.target) || compareText(a.record.test, b.record.test);
}

/** Compares two records: outcome severity, then requirement id (numerically), target and test. */
export function compareRecords(a: ResultRecord, b: ResultRecord): number {
  return compareKeyed(
    { record: a, rank: outcomeRank.get(a.outcome) ?? outcomes.length, requirement: naturalKey(a.requirement) },
    { record: b, rank: outcomeRank.get(b.outcome) ?? outcomes.length, requirement: naturalKey(b.requirement) },
  );
}

/** A sorted copy (stable: records that compare equal keep their order). */
export function sortRecords(records: readonly ResultRecord[]): ResultRecord[] {
  // A run names a few hundred requirements at most: their keys are computed once each.
  const requirementKeys = new Map<string, string>();
  const keyed = records.map((record): Keyed => {
    let requirement = requirementKeys.get(record.requirement);
    if (requirement === undefined) {
      requirement = naturalKey(record.requirement);
      requirementKeys.set(record.requirement, requirement);
    }
    return { record, rank: outcomeRank.get(record.outcome) ?? outcomes.length, requirement };
  });
  keyed.sort(compareKeyed);
  return keyed.map((entry) => entry.record);
}

/** Outcomes that make a run not conformant (with `error`, which makes it incomplete). */
export function isUnexpected(record: ResultRecord): boolean {
  return record.outcome === 'fail' || record.outcome === 'xpass' || record.outcome === 'error';
}
