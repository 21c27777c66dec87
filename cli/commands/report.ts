/**
 * `xvc report`: renders results again in any format (`--from`), or joins the results of a sharded
 * run into one (`--merge`). Reads results.json, or the results.jsonl of a killed run (rendered as
 * partial). With `--check` the exit code is the results' verdict, so a merge job can gate CI.
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { exitCodeOfError, XvcError } from '../../core/xvc-error.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatSpecProblem } from '../../core/spec-problem.ts';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { refuseOutDirHoldingInputs } from '../../core/output-holds-input.ts';
import { lockOutDir, type OutDirLock } from '../../core/safe-output.ts';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { applyExpectations } from '../../results/expectations.ts';
import { runExpectations } from '../../results/run-expectations.ts';
import { mergeResults, type MergePart } from '../../results/merge-results.ts';
import { readResults } from '../../results/read-results.ts';
import { resultsJsonName, resultsJsonlName } from '../../results/results-stream.ts';
import type { RunResults } from '../../results/result-model.ts';
import { judge } from '../../results/verdict.ts';
import { isReportFormat, renderReport, reportFileNames, reportFormats, writeReports, type ReportFormat } from '../../reports/index.ts';
import type { CommandIo } from '../main.ts';
import { commandUsage, parseCommandArgs, type CommandValues } from '../command-options.ts';

/** Help text of `xvc report` (spec/commands.yaml). */
export const usage = commandUsage('report');

/** One line on stderr; file names and excerpts in it came from input, so no control character passes. */
function say(io: CommandIo, message: string): void {
  io.stderr(`xvc report: ${terminalSafe(message, { multiline: true })}\n`);
}

function fail(io: CommandIo, message: string): number {
  say(io, message);
  return categoryExitCodes.usage;
}

function load(path: string, io: CommandIo): RunResults | undefined {
  const read = readResults(path);
  if (!read.ok) {
    say(io, `${read.error.code} ${read.error.message}`);
    return undefined;
  }
  for (const warning of read.warnings) say(io, warning);
  return read.results;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('report', args);
  if (!parsed.ok) return fail(io, `${parsed.message}\n${usage}`);
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const formats = values.format ?? [];
  for (const format of formats) if (!isReportFormat(format)) return fail(io, `unknown format '${format}' (known: ${reportFormats.join(', ')})`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) return fail(io, `--today must be YYYY-MM-DD, got '${values.today}'`);
  const held: { lock?: OutDirLock } = {};
  try {
    return await render(args, values, positionals, formats, io, held);
  } catch (error) {
    // A refused --out (in use, or holding a part): said as every other problem of the command is.
    if (!(error instanceof XvcError)) throw error;
    say(io, `${error.code} ${error.message}`);
    return error.exitCode;
  } finally {
    held.lock?.release();
  }
}

/** The command after its options are checked; a lock it takes on --out is left in `held` for the caller to release. */
async function render(args: string[], values: CommandValues<'report'>, positionals: string[], formats: string[], io: CommandIo, held: { lock?: OutDirLock }): Promise<number> {
  let results: RunResults | undefined;
  if (values.merge) {
    if (values.from !== undefined) return fail(io, '--merge and --from cannot be combined');
    if (positionals.length === 0) return fail(io, `--merge needs at least one part\n${usage}`);
    if (values.out === undefined) return fail(io, '--merge needs --out DIR');
    // Nothing is read before this: a part in --out would be replaced by the merge (OutDirHoldsInputError,
    // exit 2). A part given as a folder is read through its results.json (or results.jsonl): those
    // files are what must not lie in --out; the folder itself may (a subfolder of --out is never written).
    refuseOutDirHoldingInputs(values.out, positionals, [resultsJsonName, resultsJsonlName]);
    const parts: MergePart[] = [];
    for (const file of positionals) {
      const part = load(file, io);
      if (!part) return categoryExitCodes.results;
      parts.push({ file, results: part });
    }
    // Replay commands name the merged results' directory: where a reader will find them.
    const merged = mergeResults(parts, { allowMismatch: values['allow-mismatch'] ?? false, replayFrom: values.out });
    if (!merged.ok) {
      for (const conflict of merged.conflicts) say(io, `cannot merge: ${conflict}`);
      if (merged.allowable) say(io, '(--allow-mismatch merges anyway and records the differences)');
      return categoryExitCodes.results;
    }
    for (const note of merged.notes) say(io, note);
    results = merged.results;
  } else {
    if (positionals.length > 0) return fail(io, `unexpected argument '${positionals[0]}'\n${usage}`);
    if (values.from === undefined) return fail(io, `--from RESULTS is required\n${usage}`);
    if (formats.length !== 1) return fail(io, `--from needs exactly one --format (${reportFormats.join(', ')})`);
    results = load(values.from, io);
    if (!results) return categoryExitCodes.results;
  }

  // Applied again as xvc run applies them: the user's files added to the built-in entries about the
  // results' own targets (a merge of a run with --expectations must keep the models' known defects).
  if (values.expectations !== undefined || values['no-builtin-expectations'] === true) {
    const loaded = runExpectations({
      files: values.expectations ?? [],
      builtin: values['no-builtin-expectations'] !== true,
      targets: [...new Set(results.records.map((record) => record.target))],
    });
    if (!loaded.ok) {
      for (const problem of loaded.problems) io.stderr(`${terminalSafe(formatSpecProblem(problem))}\n`);
      return categoryExitCodes.spec;
    }
    results = applyExpectations(results, loaded.expectations ?? { file: '(none)', entries: [] }, values.today ?? new Date());
  }

  if (values.merge) {
    // Taken only now, when there is something to write: the lock creates --out, and a merge refused
    // for its parts must leave no new folder behind. Held while the reports are written, as xvc run
    // holds it, so that a run and a merge, or two merges, never write one folder at once
    // (OutDirLockedError, exit 2; OutDirNotAFolderError when --out is a file).
    held.lock = lockOutDir(values.out as string, ['xvc', 'report', ...args]);
  }
  try {
    if (values.merge) {
      const written = writeReports(values.out as string, results, (formats.length > 0 ? formats : reportFormats) as ReportFormat[]);
      io.stdout(`${Object.values(written).join('\n')}\n`);
    } else {
      // Replay commands name the results as the user reached them.
      const text = renderReport(formats[0] as ReportFormat, results, { replayFrom: values.from as string });
      // On a terminal (or a CI log), not a file: text from the results must not reach it as control
      // sequences. JSON keeps its meaning (the characters are escaped); the other formats lose them.
      if (values.out === undefined) io.stdout(formats[0] === 'json' || formats[0] === 'earl' ? terminalSafeJson(text) : terminalSafe(text, { multiline: true }));
      else {
        mkdirSync(dirname(values.out), { recursive: true });
        writeFileAtomic(values.out, text);
      }
    }
  } catch (error) {
    say(io, `could not write: ${error instanceof XvcError ? `${error.code} ` : ''}${error instanceof Error ? error.message : String(error)}`);
    return exitCodeOfError(error);
  }
  if (results.metadata.partial) io.stderr('xvc report: these results are PARTIAL (the run did not finish or a shard is missing)\n');
  if (!values.check) return 0;
  const verdict = judge(results);
  io.stderr(`xvc report: ${verdict.headline}\n`);
  return verdict.exitCode;
}
