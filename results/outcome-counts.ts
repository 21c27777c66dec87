import { outcomes, type Outcome, type ResultRecord } from './result-model.ts';

/** Number of records per outcome; every outcome is present (0 when none). */
export type OutcomeCounts = Record<Outcome, number>;

/** Counts records by outcome. */
export function countOutcomes(records: readonly ResultRecord[]): OutcomeCounts {
  const counts = Object.fromEntries(outcomes.map((outcome) => [outcome, 0])) as OutcomeCounts;
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}

/** `3 fail, 12 pass, 1 xfail` — non-zero outcomes only, worst first. */
export function formatCounts(counts: OutcomeCounts): string {
  const parts = outcomes.filter((outcome) => counts[outcome] > 0).map((outcome) => `${counts[outcome]} ${outcome}`);
  return parts.length > 0 ? parts.join(', ') : 'no results';
}
