/**
 * `xvc run`: runs the suites against the targets, streams every result to results.jsonl as it
 * arrives, and writes results.json plus every report format atomically at the end.
 */
import { packageRoot } from '../../core/package-root.ts';
import { resolve } from 'node:path';
import type { CommandIo } from '../main.ts';
import { parseRunArgs, RunUsageError, runUsage } from '../run/parse-run-args.ts';
import { executeRun, prepareProvenance } from '../run/execute-run.ts';
import type { CollectedResult } from '../run/collected-result.ts';
import type { RunPlan } from '../../conformance/run-plan.ts';
import { openResultsStream, type RecordInput } from '../../results/results-stream.ts';
import { loadExpectations, type Expectations } from '../../results/expectations.ts';
import { judge } from '../../results/verdict.ts';
import { removeReports, writeReports } from '../../reports/index.ts';
import { countOutcomes, formatCounts } from '../../results/outcome-counts.ts';
import { formatSpecProblem } from '../../core/spec-problem.ts';

/** One line of help. */
export const summary = 'run suites against targets; write results.json, summary.md and the other reports';

const repoRoot = packageRoot;

/** Known defects of the built-in models and red mechanism cells, applied when the user names no expectations file. */
export const builtinExpectationsFile = resolve(repoRoot, 'spec', 'expectations', 'builtin-models.yaml');

/** Built-in targets are described by the run itself (execute-run.ts), not by each record. */
function toRecordInput(result: CollectedResult): RecordInput {
  if (result.targetMetadata === undefined || (result.targetMetadata.kind !== 'reference' && result.targetMetadata.kind !== 'model')) return result;
  const { targetMetadata: _builtin, ...record } = result;
  return record;
}

function expectationsFor(plan: RunPlan, io: CommandIo): Expectations | undefined | 'invalid' {
  // Without a file of the user's, the built-in one applies: it describes the models and the
  // mechanism cells, which every run that includes them shows; its other entries simply match nothing.
  const file = plan.expectations ?? builtinExpectationsFile;
  const loaded = loadExpectations(file);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.stderr(`${formatSpecProblem(problem)}\n`);
    return 'invalid';
  }
  return loaded.expectations;
}

/** Runs the command; the exit code follows DESIGN.md (0 conformant, 1 unexpected, 2 usage, 3 harness). */
export async function run(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(runUsage);
    return 0;
  }
  let plan: RunPlan;
  try {
    plan = parseRunArgs(args, repoRoot);
  } catch (error) {
    if (error instanceof RunUsageError) {
      io.stderr(`xvc run: ${error.message}\n${runUsage}`);
      return 2;
    }
    throw error;
  }
  const expectations = expectationsFor(plan, io);
  if (expectations === 'invalid') return 2;

  const started = await prepareProvenance(plan);
  removeReports(plan.outDir);
  const stream = openResultsStream(plan.outDir, {
    ...started,
    ...(plan.shard !== undefined && { shard: { index: Number(plan.shard.split('/')[0]), count: Number(plan.shard.split('/')[1]) } }),
  });
  io.stderr(`xvc run: ${plan.targets.join(', ')} · suites ${plan.suites.join(', ')} · seed ${plan.seed} · ${plan.runs} runs per property\n`);
  const outcome = await executeRun(plan, { append: (result) => stream.append(toRecordInput(result)) }, io.stderr, started);
  const results = await stream.finish({
    finishedAt: outcome.provenance.finishedAt,
    runErrors: outcome.runErrors,
    targets: outcome.provenance.targets,
    ...(expectations !== undefined && { expectations }),
  });
  writeReports(plan.outDir, results);
  const verdict = judge(results);
  io.stdout(
    `${verdict.headline}\n${formatCounts(countOutcomes(results.records))}\n` +
      `results: ${stream.files.json}\nsummary: ${resolve(plan.outDir, 'summary.md')}\n`,
  );
  for (const error of results.runErrors) io.stderr(`run error: ${error}\n`);
  return verdict.exitCode;
}
