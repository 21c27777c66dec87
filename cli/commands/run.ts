/**
 * `xvc run`: runs the suites against the targets, streams every result to results.jsonl as it
 * arrives, and writes results.json plus every report format atomically at the end. Bad usage and
 * bad input files are reported once, before anything runs (exit 2).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { packageRoot } from '../../core/package-root.ts';
import { formatSpecProblem } from '../../core/spec-problem.ts';
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { lockOutDir, type OutDirLock } from '../../core/safe-output.ts';
import { formatXvcError } from '../../core/xvc-error.ts';
import type { RunPlan } from '../../conformance/run-plan.ts';
import { preflightTarget, TargetInputError } from '../../targets/target-preflight.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { removeReports, writeReports } from '../../reports/index.ts';
import { incidentKindCounts, recordedIncidents } from '../../results/adapter-incidents.ts';
import { countOutcomes, formatCounts } from '../../results/outcome-counts.ts';
import { openResultsStream } from '../../results/results-stream.ts';
import { judge } from '../../results/verdict.ts';
import { replayCommands } from '../../results/replay-command.ts';
import type { RunResults } from '../../results/result-model.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import { isUnexpected, sortRecords } from '../../reports/record-order.ts';
import type { CommandIo } from '../main.ts';
import { parseShard } from '../run/case-selection.ts';
import { executeRun, expandTargets, prepareProvenance } from '../run/execute-run.ts';
import { parseRunArgs, runUsage } from '../run/parse-run-args.ts';
import { expectedOutcome, runExpectations } from '../../results/run-expectations.ts';
import { RunProgress } from '../run/run-progress.ts';
import { runConcurrency } from '../run/run-concurrency.ts';
import { handleStopSignals } from '../run/stop-signals.ts';

/** Help text of `xvc run`. */
export const usage = runUsage;

/** Why each target the user named cannot be opened at all (empty when all can). */
async function preflight(specs: readonly string[]): Promise<TargetInputError[]> {
  const checks = specs
    .filter((spec) => spec !== 'qemu:all')
    .map((spec) => preflightTarget(parseTargetSpec(spec)).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof TargetInputError) return error;
        throw error;
      },
    ));
  return (await Promise.all(checks)).filter((refusal): refusal is TargetInputError => refusal !== undefined);
}

/** The output directory as the user reaches it from here: relative when inside the working directory, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, path);
  return shown === '' ? '.' : shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

/** Most unexpected results the console lists (the rest are in summary.md). */
const CONSOLE_UNEXPECTED = 10;

/** The unexpected results of a finished run for the console, each with the command that replays it. */
export function unexpectedLines(results: RunResults): string {
  const unexpected = sortRecords(results.records.filter(isUnexpected));
  if (unexpected.length === 0) return '';
  const replays = replayCommands(unexpected);
  const lines = ['unexpected:'];
  for (const record of unexpected.slice(0, CONSOLE_UNEXPECTED)) {
    lines.push(`  ${record.outcome} ${record.requirement} on ${record.target} — ${record.title ?? record.test}`);
    const replay = replays.get(record.id);
    if (replay !== undefined) lines.push(`    replay: ${replay}`);
  }
  if (unexpected.length > CONSOLE_UNEXPECTED) lines.push(`  ... and ${unexpected.length - CONSOLE_UNEXPECTED} more (summary.md)`);
  return `${terminalSafe(lines.join('\n'), { multiline: true })}\n`;
}

/**
 * One line for the console when an adapter crashed, hung or broke the protocol during the run, even
 * if a restart answered and every result passed: per target, how many incidents of each kind; the
 * details are in summary.md. Empty when there was none.
 */
export function adapterIncidentLine(results: RunResults): string {
  const incidents = recordedIncidents(results.records);
  if (incidents.length === 0) return '';
  const targets = [...new Set(incidents.map((incident) => incident.target))];
  const perTarget = targets.map((target) => `${target}: ${incidentKindCounts(incidents.filter((incident) => incident.target === target))}`);
  return `${terminalSafe(`adapter incidents: ${perTarget.join('; ')} — the adapter failed while in use, even where a restart answered (details in summary.md)`)}\n`;
}

/**
 * Runs the command; the exit code follows DESIGN.md (0 conformant, 1 unexpected, 2 usage, 3 harness,
 * 4 nothing tested), or 128 + the signal number when SIGINT or SIGTERM stopped the run. Bad usage
 * (RunUsageError and the other usage errors of parseRunArgs) and a locked --out are thrown: cli/main.ts
 * reports them with their catalogue code and exit code.
 */
export async function run(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(runUsage);
    return 0;
  }
  const plan: RunPlan = parseRunArgs(args, packageRoot);
  // Bad input is reported once, before anything runs: not as the same harness error on every check.
  const refused = await preflight(plan.targets);
  if (refused.length > 0) {
    for (const refusal of refused) io.stderr(`xvc run: ${terminalSafe(formatXvcError(refusal), { multiline: true })}\n`);
    return categoryExitCodes.input;
  }
  const targets = await expandTargets(plan.targets);
  const loaded = runExpectations({
    files: plan.expectations,
    builtin: plan.builtinExpectations,
    targets: [...targets, ...(plan.suites.includes('mechanisms') ? ['mechanism:*'] : [])],
  });
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.stderr(`${terminalSafe(formatSpecProblem(problem))}\n`);
    return categoryExitCodes.spec;
  }
  const expectations = loaded.expectations;

  const started = prepareProvenance(plan);
  // One run per output directory: a second one would interleave results.jsonl (OutDirLockedError).
  const lock: OutDirLock = lockOutDir(plan.outDir, plan.commandLine);
  removeReports(plan.outDir);
  const stream = openResultsStream(
    plan.outDir,
    {
      ...started,
      ...(plan.shard !== undefined && { shard: parseShard(plan.shard) }),
    },
    { lock, replayFrom: displayPath(plan.outDir), ...(expectations !== undefined && { expectations }) },
  );
  io.stderr(`xvc run: ${terminalSafe(plan.targets.join(', '))} · suites ${plan.suites.join(', ')} · seed ${plan.seed} · ${plan.runs} runs per property\n`);
  const progress = new RunProgress({ write: io.stderr, tty: process.stderr.isTTY === true });
  const stop = handleStopSignals(io.stderr);
  try {
    const outcome = await executeRun(
      { ...plan, targets },
      { append: (result) => stream.append(result) },
      { progress, concurrency: runConcurrency(targets), classify: (result) => expectedOutcome(expectations, result), signal: stop.signal },
      started,
    );
    const results = await stream.finish({
      finishedAt: outcome.provenance.finishedAt,
      runErrors: outcome.runErrors,
      targets: outcome.provenance.targets,
      ...(expectations !== undefined && { expectations }),
      partial: outcome.stopped,
    });
    writeReports(plan.outDir, results);
    const verdict = judge(results, { strict: plan.strict ?? false });
    io.stdout(`${verdict.headline}\n${formatCounts(countOutcomes(results.records))}\n${unexpectedLines(results)}${adapterIncidentLine(results)}results: ${stream.files.json}\nsummary: ${resolve(plan.outDir, 'summary.md')}\n`);
    for (const error of results.runErrors) io.stderr(`run error: ${terminalSafe(error, { multiline: true })}\n`);
    return stop.exitCode() ?? verdict.exitCode;
  } finally {
    stop.dispose();
    lock.release();
  }
}
