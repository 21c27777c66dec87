/**
 * The replay command a report prints for a record with a counterexample: one that works as printed,
 *   xvc replay --from DIR --record SHORT-ID [--target T]
 * DIR is where the results are (as the user reaches them), SHORT-ID the record's short id
 * (short-record-id.ts). `--target` is printed for a target that runs a program (an exec: adapter, a
 * QEMU): `xvc replay` never starts a program a results file names, only one named on its command
 * line, so the printed command names it, visibly, for the reader to check before pasting it.
 */
import type { CounterexampleEvidence, ResultRecord } from './result-model.ts';
import { shortRecordId, shortRecordIds } from './short-record-id.ts';

/** Targets xvc implements itself (reference, models, the single-mechanism readers, the codec self-checks): replaying them runs no program. */
export function isBuiltinTarget(target: string): boolean {
  return target === 'reference' || target.startsWith('model:') || target.startsWith('mechanism:') || target.startsWith('xvc:');
}

/** True when replaying a record of `target` starts a program, which only `--target` may name. */
export function replayStartsProgram(target: string): boolean {
  return !isBuiltinTarget(target);
}

/**
 * One word for a POSIX shell: left as it is when it holds only characters no shell treats
 * specially, otherwise in single quotes (a quote inside written as '\'').
 */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that replays `record`, whose short id is `shortId`, from the results at `from`. */
export function replayCommand(record: Pick<ResultRecord, 'target'>, shortId: string, from: string): string {
  const target = replayStartsProgram(record.target) ? ` --target ${shellWord(record.target)}` : '';
  return `xvc replay --from ${shellWord(from)} --record ${shortId}${target}`;
}

/** Whether a record carries a counterexample (what `xvc replay` re-runs). */
export function hasCounterexample(record: Pick<ResultRecord, 'evidence'>): boolean {
  return record.evidence.some((evidence) => evidence.kind === 'counterexample');
}

function withReplay(record: ResultRecord, replay: string): ResultRecord {
  if (!hasCounterexample(record)) return record;
  return {
    ...record,
    evidence: record.evidence.map((evidence) => (evidence.kind === 'counterexample' ? ({ ...evidence, replay } satisfies CounterexampleEvidence) : evidence)),
  };
}

/** `record` with the replay command of its counterexample written for results at `from` (its short id not yet checked against other records). */
export function withReplayCommand(record: ResultRecord, from: string): ResultRecord {
  return hasCounterexample(record) ? withReplay(record, replayCommand(record, shortRecordId(record.id), from)) : record;
}

/** Every record's replay command written for results at `from`, with short ids unique among `records`. */
export function withReplayCommands(records: readonly ResultRecord[], from: string): ResultRecord[] {
  if (!records.some(hasCounterexample)) return [...records];
  const shortIds = shortRecordIds(records);
  return records.map((record) => (hasCounterexample(record) ? withReplay(record, replayCommand(record, shortIds.get(record.id)!, from)) : record));
}

/**
 * The replay command of every record with a counterexample, by record id: written for results at
 * `from` when given (short ids unique among `records`; pass them when already computed), else as the
 * results recorded it.
 */
export function replayCommands(records: readonly ResultRecord[], from?: string, knownShortIds?: ReadonlyMap<string, string>): Map<string, string> {
  const commands = new Map<string, string>();
  if (!records.some(hasCounterexample)) return commands;
  const shortIds = from === undefined ? undefined : (knownShortIds ?? shortRecordIds(records));
  for (const record of records) {
    const evidence = record.evidence.find((item): item is CounterexampleEvidence => item.kind === 'counterexample');
    if (evidence === undefined) continue;
    commands.set(record.id, shortIds === undefined ? evidence.replay : replayCommand(record, shortIds.get(record.id)!, from!));
  }
  return commands;
}

/** The record a matrix cell shows: the one of its target, mechanism and property whose counterexample it carries. */
export function cellRecord(records: readonly ResultRecord[], cell: { target?: string; mechanism: string; property: string; outcome: string }): ResultRecord | undefined {
  return records.find(
    (record) => record.mechanism === cell.mechanism && record.property === cell.property && (cell.target === undefined || record.target === cell.target) && record.outcome === cell.outcome && hasCounterexample(record),
  );
}
