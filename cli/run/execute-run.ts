/**
 * Executes a run plan without a test framework: expands target shorthands, builds the cases of each
 * suite (conformance/suite-cases.ts), keeps those the requirement filter and the shard select, runs
 * them and hands every result to the sink as it arrives. Writing the results is the caller's job,
 * so the same execution serves `xvc run`, tests and the benchmark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CaseResult, ConformanceCase, SuiteCases } from '../../conformance/conformance-case.ts';
import { caseFullName } from '../../conformance/conformance-case.ts';
import { staticRows, liveRows } from '../../conformance/device/index.ts';
import type { RunPlan, SuiteName } from '../../conformance/run-plan.ts';
import { suiteCases, targetsFor } from '../../conformance/suite-cases.ts';
import { deviceCases } from '../../conformance/device/index.ts';
import { adapterSettings } from '../../conformance/suite-cases.ts';
import { packageVersion } from '../../core/package-root.ts';
import { incidentEvidence, incidentSummary } from '../../results/adapter-incidents.ts';
import type { Outcome } from '../../results/result-model.ts';
import type { RecordInput } from '../../results/results-stream.ts';
import type { TargetMetadata } from '../../targets/target-metadata.ts';
import { type TargetSpec, parseTargetSpec } from '../../targets/target-spec.ts';
import { functionsBeforeOpening } from '../../targets/reference-device.ts';
import { runCases } from './case-runner.ts';
import { assignShards, matchesRequirements, parseShard, selectedRequirements, type ShardUnit } from './case-selection.ts';
import type { RunProgress } from './run-progress.ts';

/** One result as the run hands it to the sink: one requirement of one case. */
export type CollectedResult = RecordInput;

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
  /** Errors outside any case: a suite whose cases could not be built. */
  runErrors: string[];
  /** Results handed to the sink. */
  results: number;
  /** The run was stopped before every case ran. */
  stopped: boolean;
}

/** How a run executes. */
export interface ExecuteOptions {
  progress: RunProgress;
  /** Targets worked on at once (and device targets opened at once). */
  concurrency: number;
  /** How a result will be counted in the summary (expectations turn some failures into xfail). */
  classify?: (result: CollectedResult) => Outcome;
  /** Stops the run: no further case starts, targets are closed. */
  signal?: AbortSignal;
}

/** Replaces `qemu:all` by one target per device variant this QEMU can start. */
export async function expandTargets(targets: readonly string[]): Promise<string[]> {
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

/** The commit of xvc's own checkout; none for an installed package (which may sit inside a user's repository). */
function gitCommit(repoRoot: string): string | undefined {
  if (!existsSync(join(repoRoot, '.git'))) return undefined;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

/** Metadata of the built-in targets, known without opening them. */
function builtinMetadata(spec: string): TargetMetadata | undefined {
  if (!spec.startsWith('reference') && !spec.startsWith('model:')) return undefined;
  const parsed = parseTargetSpec(spec);
  if (parsed.kind === 'reference') return { spec, kind: 'reference', role: 'frontend', implementation: 'xvc reference implementations (device and frontend)' };
  if (parsed.kind === 'model') return { spec, kind: 'model', role: 'frontend', implementation: `xvc model of ${parsed.model}` };
  return undefined;
}

/** xvc's own implementations (reference, models, the single-mechanism policies): described by the run, not per record. */
function isBuiltin(metadata: TargetMetadata): boolean {
  return metadata.kind === 'reference' || metadata.kind === 'model';
}

/** Provenance known before the run starts (what opened targets say about themselves is added as it arrives). */
export function prepareProvenance(plan: RunPlan): Omit<RunProvenance, 'finishedAt'> {
  const versionsText = readFileSync(join(plan.repoRoot, 'spec', 'versions.yaml'), 'utf8');
  const families = (parse(versionsText) as { families: Record<string, { versions: string[] }> }).families;
  const commit = gitCommit(plan.repoRoot);
  return {
    xvcVersion: packageVersion(),
    ...(commit !== undefined && { xvcCommit: commit }),
    specVersions: Object.fromEntries(Object.entries(families).map(([family, entry]) => [family, entry.versions])),
    host: hostname(),
    node: process.version,
    startedAt: new Date().toISOString(),
    seed: plan.seed,
    runs: plan.runs,
    commandLine: plan.commandLine,
    targets: plan.targets.flatMap((spec) => (spec === 'qemu:all' ? [] : (builtinMetadata(spec) ?? []))),
  };
}

/** The record id of one requirement of one case: stable across runs, independent of file layout. */
export function recordId(testCase: Pick<ConformanceCase, 'suite' | 'groups' | 'name'>, requirement: string): string {
  return `${testCase.suite}:${caseFullName(testCase)}#${requirement}`;
}

/** The results of one finished case: one per requirement it names. */
export function caseResults(testCase: ConformanceCase, result: CaseResult, durationMs: number): CollectedResult[] {
  const said = result.outcome === 'pass' ? (result.note ?? '') : result.outcome === 'inapplicable' || result.outcome === 'skip' ? result.note : result.message;
  // An adapter crash is a finding even when a restart answered: every record of the case shows it.
  const incidents = result.incidents ?? [];
  const summary = incidentSummary(incidents);
  const message = summary === undefined ? said : said === '' ? summary : `${said} — ${summary}`;
  const evidence = [...(result.outcome === 'fail' || result.outcome === 'warning' || result.outcome === 'error' ? result.evidence : []), ...incidentEvidence(incidents)];
  // A violation that rests on one of several requirements judges that one; the others are not judged.
  const restsOn = result.outcome === 'fail' || result.outcome === 'warning' ? result.requirement : undefined;
  return testCase.requirements.map((requirement) => ({
    id: recordId(testCase, requirement),
    requirement,
    target: testCase.target,
    suite: testCase.suite,
    test: caseFullName(testCase),
    ...(restsOn === undefined || restsOn === requirement
      ? { outcome: result.outcome, message, evidence }
      : { outcome: 'skip' as const, message: `not judged to the end: the check stopped at a violation of ${restsOn} (${message})`, evidence: [] }),
    durationMs,
    ...(result.condition !== undefined && { condition: result.condition }),
    ...(testCase.mechanism !== undefined && { mechanism: testCase.mechanism }),
    ...(testCase.property !== undefined && { property: testCase.property }),
    // Built-in targets are described by the run itself, once.
    ...(result.targetMetadata !== undefined && !isBuiltin(result.targetMetadata) && { targetMetadata: result.targetMetadata }),
  }));
}

/** Every device check row's requirement ids: what a device target's cases will name. */
function deviceRequirementIds(): string[] {
  return [...new Set([...staticRows, ...liveRows].flatMap((row) => row.ids))];
}

/** Runs the plan; results reach `sink` as each case finishes. */
export async function executeRun(plan: RunPlan, sink: ResultsSink, options: ExecuteOptions, prepared?: Omit<RunProvenance, 'finishedAt'>): Promise<RunOutcome> {
  const started = prepared ?? prepareProvenance(plan);
  const targets = await expandTargets(plan.targets);
  const expandedPlan: RunPlan = { ...plan, targets };
  const shard = parseShard(plan.shard);
  const runErrors: string[] = [];
  const built: SuiteCases[] = [];

  // Suites other than device enumerate their cases without opening anything expensive.
  const otherCases: ConformanceCase[] = [];
  for (const suite of plan.suites.filter((name): name is Exclude<SuiteName, 'device'> => name !== 'device')) {
    try {
      const cases = await suiteCases(expandedPlan, suite, { concurrency: options.concurrency, ...(options.signal !== undefined && { signal: options.signal }) });
      built.push(cases);
      otherCases.push(...cases.cases.filter((testCase) => matchesRequirements(testCase, plan.requirements)));
    } catch (error) {
      runErrors.push(`${suite} suite: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A device target is opened (a QEMU started) only when the shard and the filter keep some of its checks.
  const deviceIdsSelected = deviceRequirementIds().some((id) => plan.requirements.length === 0 || matchesRequirements({ requirements: [id as never] }, plan.requirements));
  let deviceSpecs = plan.suites.includes('device') && deviceIdsSelected ? targetsFor(expandedPlan, 'device') : [];
  let selected = otherCases;
  if (shard !== undefined) {
    const rowsPerTarget = staticRows.length + liveRows.length;
    const units: ShardUnit[] = [
      ...deviceSpecs.map((spec) => ({ key: `device ${spec.spec}`, weight: rowsPerTarget })),
      ...otherCases.map((testCase) => ({ key: recordId(testCase, ''), weight: 1 })),
    ];
    const assigned = assignShards(units, shard.count);
    deviceSpecs = deviceSpecs.filter((spec) => assigned.get(`device ${spec.spec}`) === shard.index);
    selected = otherCases.filter((testCase) => assigned.get(recordId(testCase, '')) === shard.index);
  }
  const metadata = new Map<string, TargetMetadata>(started.targets.map((target) => [target.spec, target]));
  const reported = (requirement: string): boolean => selectedRequirements([requirement], plan.requirements).length > 0;
  let results = 0;
  const runOptions = {
    concurrency: options.concurrency,
    ...(options.signal !== undefined && { signal: options.signal }),
    onResult(testCase: ConformanceCase, result: CaseResult, durationMs: number) {
      if (result.targetMetadata !== undefined && !isBuiltin(result.targetMetadata)) metadata.set(testCase.target, result.targetMetadata);
      for (const collected of caseResults(testCase, result, durationMs)) {
        if (!reported(collected.requirement)) continue;
        sink.append(collected);
        results++;
        options.progress.add(options.classify ? options.classify(collected) : collected.outcome);
      }
    },
  };
  // The total is known before anything runs, counting the functions a device target is known to
  // show before it is opened; a target found to have others (a dump of a whole machine) adjusts it.
  const perFunction = [...staticRows, ...liveRows].reduce((sum, row) => sum + selectedRequirements(row.ids, plan.requirements).length, 0);
  const expectedDeviceResults = (specs: readonly TargetSpec[]): number => perFunction * specs.reduce((sum, spec) => sum + functionsBeforeOpening(spec), 0);
  options.progress.start(selected.reduce((sum, testCase) => sum + selectedRequirements(testCase.requirements, plan.requirements).length, 0) + expectedDeviceResults(deviceSpecs));
  try {
    await Promise.all([
      runCases(selected, runOptions),
      // Device targets are opened, judged and closed a batch at a time, so that no more of them
      // (QEMU processes) live at once than the concurrency allows.
      (async () => {
        for (let first = 0; first < deviceSpecs.length && !options.signal?.aborted; first += options.concurrency) {
          const batch = deviceSpecs.slice(first, first + options.concurrency);
          const devices = await deviceCases(batch, { adapter: adapterSettings(plan), concurrency: options.concurrency });
          try {
            const cases = devices.cases.filter((testCase) => matchesRequirements(testCase, plan.requirements));
            options.progress.adjust(cases.reduce((sum, testCase) => sum + selectedRequirements(testCase.requirements, plan.requirements).length, 0) - expectedDeviceResults(batch));
            await runCases(cases, runOptions);
          } finally {
            await devices.close().catch((error: unknown) => runErrors.push(`closing targets: ${String(error)}`));
          }
        }
      })(),
    ]);
  } finally {
    options.progress.finish();
    await Promise.all(built.map((suite) => suite.close().catch((error: unknown) => runErrors.push(`closing targets: ${String(error)}`))));
  }
  return {
    plan: expandedPlan,
    provenance: { ...started, finishedAt: new Date().toISOString(), targets: [...metadata.values()] },
    runErrors,
    results,
    stopped: options.signal?.aborted ?? false,
  };
}
