/**
 * Streams a run's results to disk while it runs: every record is appended to `results.jsonl` as one
 * line as soon as it arrives (so a killed run leaves everything it finished readable, see
 * read-results.ts), and `finish` writes `results.json`, `summary.md` and the other reports
 * atomically.
 *
 * results.jsonl lines, each one JSON object:
 *   {"kind":"run","format":"xvc-results/1","metadata":{...},"expectations":{...}?}   first line
 *   {"kind":"record","record":{...},"targetMetadata":{...}?}      one per record
 *   {"kind":"end","finishedAt":"..."}                            last line of a finished run
 */
import { XvcError } from '../core/xvc-error.ts';
import { closeSync, mkdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { applyExpectations, type Expectations } from './expectations.ts';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { createOutputFile, lockOutDir, type OutDirLock } from '../core/safe-output.ts';
import { buildMechanismMatrix } from './mechanism-matrix.ts';
import { recordsSha256 } from './records-hash.ts';
import { withReplayCommand, withReplayCommands } from './replay-command.ts';
import { withRequirementInfo } from './requirement-info.ts';
import {
  resultsFormat,
  type MechanismMatrix,
  type ResultRecord,
  type TargetMetadata,
  type RunMetadata,
  type RunResults,
} from './result-model.ts';
import { InvalidResultsError, validateRecord, validateResults, type ResultsSchemaProblem } from './validate-results.ts';
import { clip } from '../core/clip-text.ts';

/** Name of the streamed file in the output directory. */
export const resultsJsonlName = 'results.jsonl';
/** Name of the finished results file in the output directory: the model every report is rendered from. */
export const resultsJsonName = 'results.json';

/**
 * Run metadata known when the run starts. `partial` and `recordsSha256` are computed; `finishedAt`
 * may be given now or to `finish`. The shape matches cli/run's RunProvenance, so a provenance
 * object can be passed as it is.
 */
export type RunMetadataInput = Omit<RunMetadata, 'partial' | 'recordsSha256' | 'finishedAt' | 'shards'> & { finishedAt?: string };

/**
 * One result as the run produces it (same shape as cli/run's CollectedResult): the
 * requirement's title/level/side/ref are filled from the catalogue when absent, and
 * `targetMetadata` (what a worker learnt about its target) joins the run's metadata.
 */
export type RecordInput = Omit<ResultRecord, 'statement' | 'expectation'> & {
  /** What a worker learnt about its target; joins the run's metadata, not the record. */
  targetMetadata?: TargetMetadata;
};

/** What `finish` may add once the run is over. */
export interface FinishOptions {
  /** Default: now. */
  finishedAt?: string;
  /** Errors outside any test (harness errors of the whole run). */
  runErrors?: string[];
  /** Target metadata learnt at the end (merged by spec with what is known). */
  targets?: TargetMetadata[];
  /** The matrix; default: built from records that name a mechanism and a property. */
  mechanismMatrix?: MechanismMatrix;
  /** Known failures to apply, and the day to judge expiry by (default: today, UTC). */
  expectations?: Expectations;
  today?: Date | string;
  /**
   * The run was stopped before it ran everything (a signal): results.json says `partial`, and
   * results.jsonl gets no end line, so every reader sees the same.
   */
  partial?: boolean;
}

/** Options of {@link openResultsStream}. */
export interface ResultsStreamOptions {
  /**
   * The output directory's lock (core/safe-output.ts `lockOutDir`): a lock the caller took, `false`
   * for none, or (default) taken here. Throws `OutDirLockedError` when another live run holds it.
   * A lock taken here is released by `finish`; every lock is released when the process exits.
   */
  lock?: OutDirLock | false;
  /**
   * The expectations this run applies. Recorded in the header line, so that the results.jsonl of a
   * run killed before `finish` is read back with known failures shown as expected; applied by
   * `finish` unless it is given others.
   */
  expectations?: Expectations;
  /**
   * Where a reader reaches these results (the output directory as the user named it): every
   * counterexample's `replay` becomes `xvc replay --from <replayFrom> --record <short id>`, a command
   * that works as printed (replay-command.ts). Without it the engines' replay text is kept.
   */
  replayFrom?: string;
}

/** The header line's record of the run's expectations. */
export interface StreamedExpectations {
  file: string;
  entries: Expectations['entries'];
}

/** A run's results on their way to disk. */
export interface ResultsStream {
  /** Absolute-or-relative paths of the files this stream writes. */
  readonly files: { jsonl: string; json: string; outDir: string };
  /** The lock held on the output directory, if any. */
  readonly lock: OutDirLock | undefined;
  /** Appends one record to results.jsonl (written and handed to the OS before this returns). */
  append(record: RecordInput): void;
  /** Records appended so far (after catalogue enrichment). */
  records(): readonly ResultRecord[];
  /** Closes results.jsonl and writes results.json and the reports atomically; returns the results. */
  finish(extra?: FinishOptions): Promise<RunResults>;
}

/** Thrown when appending to or finishing a stream that is already finished. */
export class ResultsStreamClosedError extends XvcError<'resultsStreamClosed'> {
  constructor() {
    super('resultsStreamClosed', 'results stream is already finished', {});
  }
}

/** Keeps only the fields of the result model (an input may carry more) and sanitises numbers. */
export function toResultRecord(input: RecordInput): ResultRecord {
  const durationMs = Number.isFinite(input.durationMs) && input.durationMs >= 0 ? input.durationMs : 0;
  const optional = <K extends 'file' | 'title' | 'level' | 'side' | 'ref' | 'condition' | 'mechanism' | 'property'>(key: K) =>
    typeof input[key] === 'string' ? { [key]: input[key] } : {};
  return withRequirementInfo({
    id: input.id,
    requirement: input.requirement,
    target: input.target,
    suite: input.suite,
    test: input.test,
    ...optional('file'),
    outcome: input.outcome,
    message: input.message,
    ...optional('title'),
    ...optional('level'),
    ...optional('side'),
    ...optional('ref'),
    ...optional('condition'),
    evidence: input.evidence,
    durationMs,
    ...optional('mechanism'),
    ...optional('property'),
  });
}

/**
 * A record that does not match the schema (a suite or target produced something malformed) must
 * not cost the run its report: it is kept as an `error` record that says what was wrong and shows
 * what was received, as text.
 */
export function quarantineRecord(input: RecordInput, problems: readonly ResultsSchemaProblem[]): ResultRecord {
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);
  let received: string;
  try {
    received = JSON.stringify({ outcome: input.outcome, message: input.message, evidence: input.evidence }, null, 2) ?? 'undefined';
  } catch {
    received = '(the result could not be serialised)';
  }
  return withRequirementInfo({
    id: text(input.id, `untraced#${Math.random().toString(36).slice(2)}`),
    requirement: text(input.requirement, 'UNTRACED'),
    target: text(input.target, 'unknown'),
    suite: text(input.suite, 'unknown'),
    test: text(input.test, 'unknown'),
    outcome: 'error',
    message: `result did not match the results schema (${problems.slice(0, 3).map((problem) => `${problem.pointer} ${problem.message}`).join('; ')})`,
    evidence: [{ kind: 'text', text: clip(received) }],
    durationMs: 0,
  });
}

/** Merges target metadata by spec; a later entry for a spec already known replaces it. */
export function mergeTargets(known: readonly TargetMetadata[], more: readonly TargetMetadata[]): TargetMetadata[] {
  const bySpec = new Map(known.map((target) => [target.spec, target]));
  for (const target of more) bySpec.set(target.spec, target);
  return [...bySpec.values()];
}

/**
 * Builds complete results from metadata and records: hash, catalogue info, matrix, expectations.
 * Shared by the stream, the partial reader and merge so that all three agree.
 */
export function assembleResults(
  metadata: Omit<RunMetadata, 'recordsSha256'>,
  given: ResultRecord[],
  options: { runErrors?: string[]; mechanismMatrix?: MechanismMatrix; expectations?: Expectations; today?: Date | string; replayFrom?: string } = {},
): RunResults {
  // Short ids are made unique against the whole file here: the run printed 10 digits as it went.
  const records = options.replayFrom === undefined ? given : withReplayCommands(given, options.replayFrom);
  const matrix = options.mechanismMatrix ?? buildMechanismMatrix(records);
  let results: RunResults = {
    format: resultsFormat,
    metadata: { ...metadata, recordsSha256: recordsSha256(records) },
    records,
    runErrors: options.runErrors ?? [],
    ...(matrix !== undefined && { mechanismMatrix: matrix }),
  };
  if (options.expectations) results = applyExpectations(results, options.expectations, options.today ?? new Date());
  return results;
}

/** The text of results.json: the result model, validated against its schema first. */
export function serializeResults(results: RunResults): string {
  const problems = validateResults(results);
  if (problems.length > 0) throw new InvalidResultsError(problems);
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** Writes results.json atomically and returns its path. */
export function writeResultsJson(outDir: string, results: RunResults): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, resultsJsonName);
  writeFileAtomic(file, serializeResults(results));
  return file;
}

/**
 * Opens the results of a new run in `outDir` (created if needed; the results and reports of an
 * earlier run there are removed). Takes the directory's lock first (see {@link ResultsStreamOptions}),
 * so two runs never interleave one results.jsonl. Creates results.jsonl without following a link
 * planted at its name. Writes the metadata line at once, so even a run killed before its first
 * result leaves a readable (empty, partial) result.
 */
export function openResultsStream(outDir: string, runMetadata: RunMetadataInput, options: ResultsStreamOptions = {}): ResultsStream {
  mkdirSync(outDir, { recursive: true });
  const lock = options.lock === false ? undefined : (options.lock ?? lockOutDir(outDir, runMetadata.commandLine));
  // A lock the caller took is the caller's to release (after its reports are written).
  const ownLock = options.lock === undefined ? lock : undefined;
  const files = { outDir, jsonl: join(outDir, resultsJsonlName), json: join(outDir, resultsJsonName) };
  // The results of an earlier run in the same directory go first: if this run is killed, readers
  // must find its results.jsonl, not a stale results.json that looks complete. (Stale reports are
  // the report writer's to remove.)
  let fd: number | undefined;
  try {
    rmSync(join(outDir, resultsJsonName), { force: true });
    fd = createOutputFile(files.jsonl);
  } catch (error) {
    ownLock?.release();
    throw error;
  }
  const records: ResultRecord[] = [];
  let targets = [...runMetadata.targets];
  // One write(2) per line: the line reaches the OS (and survives the process being killed) before
  // append returns. Not fsynced per line: a power loss may cost the tail, never tear the middle.
  const writeLine = (value: unknown): void => {
    if (fd === undefined) throw new ResultsStreamClosedError();
    writeSync(fd, `${JSON.stringify(value)}\n`, null, 'utf8');
  };
  const streamed: StreamedExpectations | undefined = options.expectations && { file: options.expectations.file, entries: options.expectations.entries };
  writeLine({ kind: 'run', format: resultsFormat, metadata: { ...runMetadata, partial: true }, ...(streamed !== undefined && { expectations: streamed }) });
  return {
    files,
    lock,
    append(input: RecordInput): void {
      let record = toResultRecord(input);
      if (options.replayFrom !== undefined) record = withReplayCommand(record, options.replayFrom);
      const problems = validateRecord(record);
      if (problems.length > 0) record = quarantineRecord(input, problems);
      writeLine({ kind: 'record', record, ...(input.targetMetadata !== undefined && { targetMetadata: input.targetMetadata }) });
      records.push(record);
      if (input.targetMetadata) targets = mergeTargets(targets, [input.targetMetadata]);
    },
    records: () => records,
    async finish(extra: FinishOptions = {}): Promise<RunResults> {
      const finishedAt = extra.finishedAt ?? runMetadata.finishedAt ?? new Date().toISOString();
      const { finishedAt: _ignored, ...started } = runMetadata;
      const partial = extra.partial ?? false;
      const results = assembleResults({ ...started, targets: mergeTargets(targets, extra.targets ?? []), finishedAt, partial }, [...records], {
        ...(extra.runErrors !== undefined && { runErrors: extra.runErrors }),
        ...(extra.mechanismMatrix !== undefined && { mechanismMatrix: extra.mechanismMatrix }),
        ...((extra.expectations ?? options.expectations) !== undefined && { expectations: (extra.expectations ?? options.expectations)! }),
        ...(extra.today !== undefined && { today: extra.today }),
        ...(options.replayFrom !== undefined && { replayFrom: options.replayFrom }),
      });
      // Validate before closing: a bug found here leaves the stream open and results.jsonl intact.
      const problems = validateResults(results);
      if (problems.length > 0) throw new InvalidResultsError(problems);
      if (!partial) writeLine({ kind: 'end', finishedAt, runErrors: results.runErrors });
      closeSync(fd as number);
      fd = undefined;
      try {
        writeResultsJson(outDir, results);
      } finally {
        ownLock?.release();
      }
      return results;
    },
  };
}
