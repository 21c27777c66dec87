import { resolve } from 'node:path';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { builtinModels, parseRunsOption, suiteNames, targetSuites, type RunPlan, type SuiteName } from '../../conformance/run-plan.ts';
import { parseSeed, seedFromEnvironment } from '../../core/seed.ts';
import { matchesGlob } from '../../core/glob.ts';
import { nearest } from '../../core/nearest.ts';
import { isRequirementId, requirements } from '../../generated/ts/requirements.ts';
import { XvcError } from '../../core/xvc-error.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';
import { readShard } from './case-selection.ts';

/** A command line `xvc run` cannot act on; exit code 2. */
export class RunUsageError extends XvcError<'badUsage'> {
  constructor(message: string) {
    super('badUsage', message, { command: 'run' });
  }
}

/** Usage text of `xvc run` (spec/commands.yaml). */
export const runUsage = commandUsage('run');

/** The run's seed: `--seed`, else `XVC_SEED`, else the fixed default; a bad value throws InvalidSeedError (a usage error). */
function runSeed(text: string | undefined): number {
  return text === undefined ? seedFromEnvironment() : parseSeed(text, '--seed');
}

/**
 * Checks `--requirement` values against the catalogue: an exact id must exist, a glob must match
 * one; otherwise a usage error naming the nearest id.
 */
export function checkRequirementPatterns(patterns: readonly string[]): void {
  for (const pattern of patterns) {
    if (pattern.includes('*') || pattern.includes('?')) {
      if (!requirements.some((requirement) => matchesGlob(pattern, requirement.id))) throw new RunUsageError(`--requirement ${pattern} matches no requirement id`);
      continue;
    }
    if (!isRequirementId(pattern)) {
      const guess = nearest(pattern, requirements.map((requirement) => requirement.id));
      throw new RunUsageError(`--requirement ${pattern}: no such requirement id${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
    }
  }
}

/**
 * The environment `--adapter-env` gives exec: adapters: `NAME=VALUE` sets NAME, a bare `NAME` passes
 * the value NAME has in `environment` (xvc's own; left out when unset). A name must be a shell-style
 * identifier.
 */
export function parseAdapterEnv(assignments: readonly string[], environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const adapterEnv: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const name = equals < 0 ? assignment : assignment.slice(0, equals);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RunUsageError(`--adapter-env expects NAME=VALUE or NAME, got '${assignment}'`);
    if (equals >= 0) adapterEnv[name] = assignment.slice(equals + 1);
    else if (environment[name] !== undefined) adapterEnv[name] = environment[name];
  }
  return adapterEnv;
}

/**
 * Parses `xvc run` arguments into a plan; throws a usage error (exit 2) on anything it cannot use:
 * {@link RunUsageError}, or InvalidSeedError, TargetSpecError or OptionValueError with their own codes.
 */
export function parseRunArgs(args: string[], repoRoot: string, environment: NodeJS.ProcessEnv = process.env): RunPlan {
  const parsed = parseCommandArgs('run', args);
  if (!parsed.ok) throw new RunUsageError(parsed.message);
  const { values } = parsed;
  const targets = values.target ?? ['reference', ...builtinModels.map((model) => `model:${model}`)];
  // A spec that does not parse throws TargetSpecError, a usage error of its own code.
  for (const target of targets) if (target !== 'qemu:all') parseTargetSpec(target);
  // A user's targets get the suites that judge them; xvc's self-checks only when asked for by name.
  const suites = (values.suite ?? (values.target === undefined ? [...suiteNames] : [...targetSuites])) as SuiteName[];
  for (const suite of suites) {
    if (!suiteNames.includes(suite)) throw new RunUsageError(`unknown suite '${suite}' (known: ${suiteNames.join(', ')})`);
  }
  checkRequirementPatterns(values.requirement ?? []);
  if (values.shard !== undefined) {
    const shard = readShard(values.shard);
    if (!shard.ok) throw new RunUsageError(shard.problem);
  }
  const adapterEnv = parseAdapterEnv(values['adapter-env'] ?? [], environment);
  return {
    targets,
    suites,
    requirements: values.requirement ?? [],
    seed: runSeed(values.seed),
    // A value out of range throws OptionValueError, a usage error of its own code.
    runs: parseRunsOption(values.runs),
    outDir: resolve(values.out ?? 'xvc-report'),
    ...(values.shard !== undefined && { shard: values.shard }),
    expectations: (values.expectations ?? []).map((file) => resolve(file)),
    builtinExpectations: values['no-builtin-expectations'] !== true,
    ...(values.strict === true && { strict: true }),
    repoRoot,
    commandLine: ['xvc', 'run', ...args],
    ...(values['strict-protocol'] === true && { strictProtocol: true }),
    ...(Object.keys(adapterEnv).length > 0 && { adapterEnv }),
  };
}
