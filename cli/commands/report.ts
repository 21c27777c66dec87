/**
 * `xvc report`: renders results again in any format (`--from`), or joins the results of a sharded
 * run into one (`--merge`). Reads results.json, or the results.jsonl of a killed run (rendered as
 * partial). With `--check` the exit code is the results' verdict, so a merge job can gate CI.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatSpecProblem } from '../../core/spec-problem.ts';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { applyExpectations, loadExpectations } from '../../results/expectations.ts';
import { mergeResults, type MergePart } from '../../results/merge-results.ts';
import { readResults } from '../../results/read-results.ts';
import type { RunResults } from '../../results/result-model.ts';
import { judge } from '../../results/verdict.ts';
import { isReportFormat, renderReport, reportFileNames, reportFormats, writeReports, type ReportFormat } from '../../reports/index.ts';
import type { CommandIo } from '../main.ts';

/** One line of help. */
export const summary = 'render results as html, junit, md, earl or json; --merge joins shard results';

const usage = `usage: xvc report --from RESULTS --format FORMAT [--out FILE] [options]
       xvc report --merge PART... --out DIR [--format FORMAT]... [--allow-mismatch] [options]

  --from RESULTS       results.json, the results.jsonl of a killed run (rendered as partial),
                       or a directory holding them
  --format FORMAT      ${reportFormats.join(', ')} (with --merge: repeatable, default all)
  --out FILE|DIR       output file (default: standard output); with --merge the directory that
                       gets ${Object.values(reportFileNames).join(', ')}
  --merge PART...      join the results of xvc run --shard i/n parts (files or directories); a part
                       given twice, a part of no --shard run, or parts of different command lines
                       (apart from --shard and --out) are refused
  --allow-mismatch     merge parts whose xvc version, commit, seed, runs, spec versions or command
                       lines differ
  --expectations FILE  apply known failures again (e.g. after a merge) before rendering
  --today YYYY-MM-DD   day expectations' expiry is judged by (default: today, UTC)
  --check              exit with the results' verdict: 0 conformant, 1 unexpected, 3 harness error/partial
Exit codes: 0 written (or conformant with --check), 2 bad usage or input, 3 could not write.
`;

/** One line on stderr; file names and excerpts in it came from input, so no control character passes. */
function say(io: CommandIo, message: string): void {
  io.stderr(`xvc report: ${terminalSafe(message, { multiline: true })}\n`);
}

function fail(io: CommandIo, message: string): number {
  say(io, message);
  return 2;
}

function load(path: string, io: CommandIo): RunResults | undefined {
  const read = readResults(path);
  if (!read.ok) {
    say(io, read.error.message);
    return undefined;
  }
  for (const warning of read.warnings) say(io, warning);
  return read.results;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        format: { type: 'string', multiple: true },
        out: { type: 'string' },
        merge: { type: 'boolean' },
        'allow-mismatch': { type: 'boolean' },
        expectations: { type: 'string' },
        today: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return fail(io, `${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const formats = values.format ?? [];
  for (const format of formats) if (!isReportFormat(format)) return fail(io, `unknown format '${format}' (known: ${reportFormats.join(', ')})`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) return fail(io, `--today must be YYYY-MM-DD, got '${values.today}'`);

  let results: RunResults | undefined;
  if (values.merge) {
    if (values.from !== undefined) return fail(io, '--merge and --from cannot be combined');
    if (positionals.length === 0) return fail(io, `--merge needs at least one part\n${usage}`);
    if (values.out === undefined) return fail(io, '--merge needs --out DIR');
    const parts: MergePart[] = [];
    for (const file of positionals) {
      const part = load(file, io);
      if (!part) return 2;
      parts.push({ file, results: part });
    }
    const merged = mergeResults(parts, { allowMismatch: values['allow-mismatch'] ?? false });
    if (!merged.ok) {
      for (const conflict of merged.conflicts) say(io, `cannot merge: ${conflict}`);
      say(io, '(--allow-mismatch merges anyway and records the differences)');
      return 2;
    }
    for (const note of merged.notes) say(io, note);
    results = merged.results;
  } else {
    if (positionals.length > 0) return fail(io, `unexpected argument '${positionals[0]}'\n${usage}`);
    if (values.from === undefined) return fail(io, `--from RESULTS is required\n${usage}`);
    if (formats.length !== 1) return fail(io, `--from needs exactly one --format (${reportFormats.join(', ')})`);
    results = load(values.from, io);
    if (!results) return 2;
  }

  if (values.expectations !== undefined) {
    const loaded = loadExpectations(values.expectations);
    if (!loaded.ok) {
      for (const problem of loaded.problems) io.stderr(`${terminalSafe(formatSpecProblem(problem))}\n`);
      return 2;
    }
    results = applyExpectations(results, loaded.expectations, values.today ?? new Date());
  }

  try {
    if (values.merge) {
      const written = writeReports(values.out as string, results, (formats.length > 0 ? formats : reportFormats) as ReportFormat[]);
      io.stdout(`${Object.values(written).join('\n')}\n`);
    } else {
      const text = renderReport(formats[0] as ReportFormat, results);
      // On a terminal (or a CI log), not a file: text from the results must not reach it as control
      // sequences. JSON keeps its meaning (the characters are escaped); the other formats lose them.
      if (values.out === undefined) io.stdout(formats[0] === 'json' || formats[0] === 'earl' ? terminalSafeJson(text) : terminalSafe(text, { multiline: true }));
      else {
        mkdirSync(dirname(values.out), { recursive: true });
        writeFileAtomic(values.out, text);
      }
    }
  } catch (error) {
    say(io, `could not write: ${error instanceof Error ? error.message : String(error)}`);
    return 3;
  }
  if (results.metadata.partial) io.stderr('xvc report: these results are PARTIAL (the run did not finish or a shard is missing)\n');
  if (!values.check) return 0;
  const verdict = judge(results);
  io.stderr(`xvc report: ${verdict.headline}\n`);
  return verdict.exitCode;
}
