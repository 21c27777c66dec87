/**
 * Compares two runs (a baseline and a new one) record by record, keyed by test id and target:
 * what newly fails, what got fixed, which failures changed their evidence, and everything else
 * that changed. A CI job gates on `newFailures`.
 */
import { canonicalJson } from './records-hash.ts';
import type { Evidence, Outcome, ResultRecord, RunResults } from './result-model.ts';

/** One record's change between the two runs. */
export interface RecordChange {
  id: string;
  requirement: string;
  target: string;
  test: string;
  /** undefined: the record is not in that run. */
  before?: Outcome;
  after?: Outcome;
  /** The new run's message (or the old one's when the record is gone). */
  message: string;
}

/** Everything that differs between two runs. */
export interface Comparison {
  /** Unexpected failures or harness errors (`fail`, `error`) in NEW that OLD did not have. */
  newFailures: RecordChange[];
  /** Records that failed in OLD (`fail`, `error`, `xfail`) and pass in NEW (`pass`, `xpass`). */
  fixed: RecordChange[];
  /** Failing in both runs, with a different message or evidence (a different counterexample, other bytes); a replay command alone is no change. */
  changedEvidence: RecordChange[];
  /** Any other outcome change, including records only one run has. */
  otherChanges: RecordChange[];
  /** Records failing in both runs with the same evidence. */
  stillFailing: number;
  unchanged: number;
}

const failing: ReadonlySet<Outcome> = new Set(['fail', 'error']);
const broken: ReadonlySet<Outcome> = new Set(['fail', 'error', 'xfail']);
const passing: ReadonlySet<Outcome> = new Set(['pass', 'xpass']);

function key(record: ResultRecord): string {
  return `${record.id}\u0000${record.target}`;
}

function change(before: ResultRecord | undefined, after: ResultRecord | undefined): RecordChange {
  const record = (after ?? before) as ResultRecord;
  return {
    id: record.id,
    requirement: record.requirement,
    target: record.target,
    test: record.test,
    ...(before !== undefined && { before: before.outcome }),
    ...(after !== undefined && { after: after.outcome }),
    message: record.message,
  };
}

/**
 * A record's evidence as the comparison sees it: what the device or frontend did, not how to re-run
 * it. A counterexample's `replay` names the directory the results were written to (`--from DIR`)
 * and a short id unique only within its own file, so two runs of the same target and seed into
 * different `--out` directories would otherwise differ on every counterexample. Its scenario, seed
 * and shrink path stay compared.
 */
function comparableEvidence(evidence: readonly Evidence[]): unknown[] {
  return evidence.map((item) => {
    if (item.kind !== 'counterexample') return item;
    const { replay: _howToReplay, ...found } = item;
    return found;
  });
}

function sameEvidence(previous: ResultRecord, next: ResultRecord): boolean {
  return previous.message === next.message && canonicalJson(comparableEvidence(previous.evidence)) === canonicalJson(comparableEvidence(next.evidence));
}

/** Compares OLD with NEW. */
export function compareResults(oldResults: RunResults, newResults: RunResults): Comparison {
  const before = new Map(oldResults.records.map((record) => [key(record), record]));
  const after = new Map(newResults.records.map((record) => [key(record), record]));
  const comparison: Comparison = { newFailures: [], fixed: [], changedEvidence: [], otherChanges: [], stillFailing: 0, unchanged: 0 };
  for (const [id, next] of after) {
    const previous = before.get(id);
    if (failing.has(next.outcome) && (previous === undefined || !failing.has(previous.outcome))) comparison.newFailures.push(change(previous, next));
    else if (previous && broken.has(previous.outcome) && passing.has(next.outcome)) comparison.fixed.push(change(previous, next));
    else if (previous && broken.has(previous.outcome) && broken.has(next.outcome)) {
      const same = sameEvidence(previous, next);
      if (same && previous.outcome === next.outcome) comparison.stillFailing += 1;
      else if (same) comparison.otherChanges.push(change(previous, next));
      else comparison.changedEvidence.push(change(previous, next));
    } else if (previous === undefined || previous.outcome !== next.outcome) comparison.otherChanges.push(change(previous, next));
    else comparison.unchanged += 1;
  }
  for (const [id, previous] of before) if (!after.has(id)) comparison.otherChanges.push(change(previous, undefined));
  return comparison;
}
