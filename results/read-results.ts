/**
 * Reads results back: `results.json` of a finished run, or — when a run was killed — rebuilds a
 * partial result from its `results.jsonl` (a torn last line is dropped). Never throws on bad
 * input: an unusable file is a {@link ResultsInputError} with a position.
 */
import { XvcError } from '../core/xvc-error.ts';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputLimits, readInputFile, readInputText } from '../core/input-file.ts';
import { jsonErrorOffset } from '../core/json-error-position.ts';
import type { ExpectationEntry, Expectations } from './expectations.ts';
import { recordsSha256 } from './records-hash.ts';
import { resultsFormat, type ResultRecord, type TargetMetadata, type RunMetadata, type RunResults } from './result-model.ts';
import { assembleResults, mergeTargets, resultsJsonName, resultsJsonlName } from './results-stream.ts';
import { validateRecord, validateResults } from './validate-results.ts';

/** Why a results file cannot be used (exit code 2). */
export class ResultsInputError extends XvcError<ResultsInputProblem> {
  constructor(
    problem: ResultsInputProblem,
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(problem, `${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${detail}`, {
      file,
      detail,
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
    });
  }
}

/** Catalogue entries (core/diagnostics.ts) of {@link ResultsInputError}. */
export type ResultsInputProblem = 'resultsUnreadable' | 'resultsSyntax' | 'resultsSchema' | 'resultsNotResults';

/** Results read from disk, with how they were obtained. */
export type ReadResults =
  | { ok: true; results: RunResults; source: 'json' | 'jsonl'; file: string; warnings: string[] }
  | { ok: false; error: ResultsInputError };

/** Largest results file read (a bound on what a hostile or broken file can make xvc allocate). */
export const maxResultsBytes = inputLimits.results;

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < position; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: position - lineStart + 1 };
}

/** Regular files only, bounded (core/input-file.ts): a FIFO or /dev/zero is refused, not waited on. */
function readText(file: string): string | ResultsInputError {
  const read = readInputText(file, 'results');
  return read.ok ? read.text : new ResultsInputError('resultsUnreadable', file, read.error.detail);
}

function parseJson(text: string, file: string, lineOffset = 0): { value: unknown } | ResultsInputError {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = lineColumn(text, jsonErrorOffset(text));
    return new ResultsInputError('resultsSyntax', file, `not JSON: ${message.split('\n')[0] ?? message}`, at.line + lineOffset, at.column);
  }
}

/** Reads a finished run's results.json and checks it against the schema. */
export function readResultsJson(file: string): ReadResults {
  const text = readText(file);
  if (text instanceof ResultsInputError) return { ok: false, error: text };
  const parsed = parseJson(text, file);
  if (parsed instanceof ResultsInputError) return { ok: false, error: parsed };
  const value = parsed.value as { format?: unknown };
  if (typeof value !== 'object' || value === null || value.format !== resultsFormat) {
    return { ok: false, error: new ResultsInputError('resultsNotResults', file, `not an xvc results file (expected "format": "${resultsFormat}")`) };
  }
  const problems = validateResults(value);
  if (problems.length > 0) {
    return { ok: false, error: new ResultsInputError('resultsSchema', file, `does not match the results schema: ${problems.slice(0, 5).map((p) => `${p.pointer} ${p.message}`).join('; ')}`) };
  }
  const results = value as RunResults;
  const warnings: string[] = [];
  if (recordsSha256(results.records) !== results.metadata.recordsSha256) warnings.push(`${file}: records do not match metadata.recordsSha256 (the file was edited or damaged)`);
  return { ok: true, results, source: 'json', file, warnings };
}

interface RunLine {
  kind: 'run';
  format: string;
  metadata: Omit<RunMetadata, 'recordsSha256'>;
  expectations?: unknown;
}

/** The expectations a run recorded in its header line (results-stream.ts), when they have the right shape. */
function streamedExpectations(value: unknown): Expectations | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { file, entries } = value as { file?: unknown; entries?: unknown };
  if (typeof file !== 'string' || !Array.isArray(entries)) return undefined;
  const text = (item: unknown): item is string => typeof item === 'string';
  const valid = entries.every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return false;
    const { target, requirement, reason, source } = entry as Record<string, unknown>;
    return text(target) && text(requirement) && text(reason) && text(source);
  });
  return valid ? { file, entries: entries as ExpectationEntry[] } : undefined;
}

/**
 * Rebuilds results from a results.jsonl. Without its end line the run is marked partial. A torn
 * last line (a run killed mid-write) is dropped with a note; other unreadable lines are skipped
 * with a note each, so that everything that was recorded can still be rendered.
 */
export function readResultsJsonl(file: string): ReadResults {
  const read = readInputFile(file, 'results');
  if (!read.ok) return { ok: false, error: new ResultsInputError('resultsUnreadable', file, read.error.detail) };
  // Lines are decoded one at a time from the bytes: a killed run's file can be hundreds of megabytes,
  // and one string of all of it (two bytes a character once any line holds non-ASCII text) costs
  // seconds and twice the memory.
  const bytes = read.bytes;
  const starts: number[] = [];
  for (let start = 0; ; ) {
    starts.push(start);
    const newline = bytes.indexOf(10, start);
    if (newline < 0) break;
    start = newline + 1;
  }
  const lineCount = starts.length;
  const lineAt = (index: number): string => bytes.toString('utf8', starts[index]!, index + 1 < lineCount ? starts[index + 1]! - 1 : bytes.length);
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 10;
  // Computed once: asking "is everything after this line blank?" per line made reading quadratic.
  let lastContent = lineCount - 1;
  while (lastContent >= 0 && lineAt(lastContent).trim() === '') lastContent--;
  const notes: string[] = [];
  const records: ResultRecord[] = [];
  const seen = new Set<string>();
  let targets: TargetMetadata[] = [];
  let header: RunLine | undefined;
  let end: { finishedAt?: string; runErrors?: string[] } | undefined;
  for (let index = 0; index < lineCount; index++) {
    const line = lineAt(index);
    if (line.trim() === '') continue;
    const isLast = index === lastContent;
    const parsed = parseJson(line, file, index);
    if (parsed instanceof ResultsInputError) {
      if (header === undefined) return { ok: false, error: parsed };
      notes.push(isLast && !endsWithNewline ? `last line of ${basename(file)} was cut short (${line.length} characters) and was dropped` : `line ${index + 1} of ${basename(file)} is not JSON and was skipped`);
      continue;
    }
    const entry = parsed.value as { kind?: unknown; format?: unknown; metadata?: unknown; record?: unknown; targetMetadata?: unknown; finishedAt?: unknown; runErrors?: unknown };
    if (header === undefined) {
      if (typeof entry !== 'object' || entry === null || entry.kind !== 'run' || entry.format !== resultsFormat || typeof entry.metadata !== 'object') {
        return { ok: false, error: new ResultsInputError('resultsNotResults', file, `first line is not an xvc run header ({"kind":"run","format":"${resultsFormat}",...})`, index + 1, 1) };
      }
      header = entry as RunLine;
      targets = [...(header.metadata.targets ?? [])];
      continue;
    }
    if (entry?.kind === 'record') {
      const problems = validateRecord(entry.record);
      if (problems.length > 0) {
        notes.push(`line ${index + 1} of ${basename(file)}: record does not match the schema (${problems[0]?.pointer} ${problems[0]?.message}) and was skipped`);
        continue;
      }
      const record = entry.record as ResultRecord;
      if (seen.has(record.id)) {
        notes.push(`line ${index + 1} of ${basename(file)}: record ${record.id} appears twice; the first was kept`);
        continue;
      }
      seen.add(record.id);
      records.push(record);
      if (typeof entry.targetMetadata === 'object' && entry.targetMetadata !== null) targets = mergeTargets(targets, [entry.targetMetadata as TargetMetadata]);
    } else if (entry?.kind === 'end') {
      end = { ...(typeof entry.finishedAt === 'string' && { finishedAt: entry.finishedAt }), ...(Array.isArray(entry.runErrors) && { runErrors: entry.runErrors.map(String) }) };
    } else {
      notes.push(`line ${index + 1} of ${basename(file)} is of no known kind and was skipped`);
    }
  }
  if (header === undefined) return { ok: false, error: new ResultsInputError('resultsNotResults', file, 'empty: the run was killed before it wrote its header', 1, 1) };
  const partial = end === undefined;
  const expectations = streamedExpectations(header.expectations);
  notes.unshift(
    `${partial ? `rebuilt from ${basename(file)}: the run did not finish; ${records.length} result(s) were recorded` : `rebuilt from ${basename(file)} (results.json was not written)`}` +
      `; ${expectations ? `the run's expectations (${expectations.file}) were applied` : 'expectations were not applied'}`,
  );
  const { finishedAt: _started, ...metadata } = header.metadata as RunMetadata;
  const results = assembleResults(
    {
      ...metadata,
      targets,
      partial,
      ...(end?.finishedAt !== undefined && { finishedAt: end.finishedAt }),
      notes: [...(metadata.notes ?? []), ...notes],
    },
    records,
    // Expiry is judged by the day the run started, as the run itself would have judged it.
    { runErrors: end?.runErrors ?? [], ...(expectations !== undefined && { expectations, today: String(metadata.startedAt).slice(0, 10) }) },
  );
  // Every record was checked as its line was read: what is left to check is the header.
  const problems = validateResults({ ...results, records: [] });
  if (problems.length > 0) {
    return { ok: false, error: new ResultsInputError('resultsSchema', file, `run header does not match the results schema: ${problems.slice(0, 5).map((p) => `${p.pointer} ${p.message}`).join('; ')}`, 1, 1) };
  }
  return { ok: true, results, source: 'jsonl', file, warnings: notes };
}

/**
 * Reads results from `path`: a results.json, a results.jsonl, or a directory holding them. A
 * results.json that does not exist falls back to the results.jsonl beside it (a killed run).
 */
export function readResults(path: string): ReadResults {
  let file = path;
  if (existsSync(path) && statSync(path).isDirectory()) {
    const json = join(path, resultsJsonName);
    file = existsSync(json) ? json : join(path, resultsJsonlName);
  } else if (!existsSync(path) && basename(path) === resultsJsonName && existsSync(join(dirname(path), resultsJsonlName))) {
    file = join(dirname(path), resultsJsonlName);
  }
  return file.endsWith('.jsonl') ? readResultsJsonl(file) : readResultsJson(file);
}
