/**
 * Executes a run plan: expands target shorthands, runs the suites and returns every result with
 * the run's provenance. Writing the results is the caller's job (the sink), so that the same
 * execution serves `xvc run`, tests and the benchmark.
 */
import { hostname } from 'node:os';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectedResult } from './collected-result.ts';
import type { RunPlan } from '../../conformance/run-plan.ts';
import { startSuites } from './start-suites.ts';
import type { TargetMetadata } from '../../targets/target-metadata.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';

/** Where results go while the run is under way. */
export interface ResultsSink {
  append(result: CollectedResult): void;
}

/** Provenance of a run. */
export interface RunProvenance {
  xvcVersion: string;
  xvcCommit?: string;
  specVersions: Record<string, string[]>;
  host: string;
  node: string;
  startedAt: string;
  finishedAt: string;
  seed: number;
  runs: number;
  commandLine: string[];
  targets: TargetMetadata[];
}

/** Everything a finished run produced. */
export interface RunOutcome {
  plan: RunPlan;
  provenance: RunProvenance;
  results: CollectedResult[];
  /** Errors outside any test: a suite file that does not load, an unhandled rejection. */
  runErrors: string[];
}

/** Replaces `qemu:all` by one target per device variant this QEMU can start. */
export async function expandTargets(targets: string[]): Promise<string[]> {
  const expanded: string[] = [];
  for (const target of targets) {
    if (target !== 'qemu:all') {
      expanded.push(target);
      continue;
    }
    const { listQemuSweepTargets } = await import('../../targets/qemu.ts');
    for (const sweep of (await listQemuSweepTargets()).targets) expanded.push(sweep.spec);
  }
  return expanded;
}

function gitCommit(repoRoot: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

/** Metadata of targets that live in this process; workers report the others through test meta. */
function localMetadata(spec: string): TargetMetadata | undefined {
  const parsed = parseTargetSpec(spec);
  if (parsed.kind === 'reference') return { spec, kind: 'reference', role: 'frontend', implementation: 'xvc reference implementations (device and frontend)' };
  if (parsed.kind === 'model') return { spec, kind: 'model', role: 'frontend', implementation: `xvc model of ${parsed.model}` };
  return undefined;
}

/** Provenance known before the run starts (target metadata from workers is added as it arrives). */
export async function prepareProvenance(plan: RunPlan): Promise<Omit<RunProvenance, 'finishedAt'>> {
  const packageJson = JSON.parse(readFileSync(join(plan.repoRoot, 'package.json'), 'utf8')) as { version: string };
  const { parse } = await import('yaml');
  const versionsText = readFileSync(join(plan.repoRoot, 'spec', 'versions.yaml'), 'utf8');
  const families = (parse(versionsText) as { families: Record<string, { versions: string[] }> }).families;
  const commit = gitCommit(plan.repoRoot);
  const targets: TargetMetadata[] = [];
  for (const spec of plan.targets) {
    const local = spec === 'qemu:all' ? undefined : localMetadata(spec);
    if (local) targets.push(local);
  }
  return {
    xvcVersion: packageJson.version,
    ...(commit !== undefined && { xvcCommit: commit }),
    specVersions: Object.fromEntries(Object.entries(families).map(([family, entry]) => [family, entry.versions])),
    host: hostname(),
    node: process.version,
    startedAt: new Date().toISOString(),
    seed: plan.seed,
    runs: plan.runs,
    commandLine: plan.commandLine,
    targets,
  };
}

/** Runs the plan; results reach `sink` as each test finishes. */
export async function executeRun(
  plan: RunPlan,
  sink: ResultsSink,
  progress: (text: string) => void,
  prepared?: Omit<RunProvenance, 'finishedAt'>,
): Promise<RunOutcome> {
  const started = prepared ?? (await prepareProvenance(plan));
  const targets = await expandTargets(plan.targets);
  const expandedPlan: RunPlan = { ...plan, targets };
  const { collector } = await startSuites(expandedPlan, (result) => sink.append(result), progress);
  const metadata = new Map<string, TargetMetadata>(started.targets.map((target) => [target.spec, target]));
  // Workers know what only an opened target can say (a QEMU's version, an adapter's name); the
  // built-in targets are described here, once, whatever suite ran them (reference has two roles).
  for (const result of collector.results) {
    const reported = result.targetMetadata;
    if (reported && !(reported.kind === 'reference' || reported.kind === 'model')) metadata.set(reported.spec, reported);
  }
  return {
    plan: expandedPlan,
    provenance: { ...started, finishedAt: new Date().toISOString(), targets: [...metadata.values()] },
    results: collector.results,
    runErrors: collector.runErrors,
  };
}
