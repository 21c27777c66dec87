/**
 * Which cases a run executes: those naming a requirement the user asked for (`--requirement`, globs
 * allowed), and of those the run's shard. Shards are cut by (target, test) with weights, so that
 * `--shard i/n` parts take about the same time: a device target is one unit (its checks share one
 * opened target, a QEMU process), every other case is its own unit.
 */
import { matchesGlob } from '../../core/glob.ts';
import { XvcError } from '../../core/xvc-error.ts';
import type { ConformanceCase } from '../../conformance/conformance-case.ts';

/** `i/n`, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** True when the case names a requirement matching one of `patterns` (no patterns: every case). */
export function matchesRequirements(testCase: Pick<ConformanceCase, 'requirements'>, patterns: readonly string[]): boolean {
  return patterns.length === 0 || testCase.requirements.some((id) => patterns.some((pattern) => matchesGlob(pattern, id)));
}

/**
 * The requirements of a kept case that the run reports: those the patterns select (every one when
 * there are none). A case judging several requirements is run for any of them, but a record of a
 * requirement the user did not ask for is not a result of the run.
 */
export function selectedRequirements<Id extends string>(requirements: readonly Id[], patterns: readonly string[]): Id[] {
  return patterns.length === 0 ? [...requirements] : requirements.filter((id) => patterns.some((pattern) => matchesGlob(pattern, id)));
}

/** One unit of work for sharding: a key that orders it, and how heavy it is. */
export interface ShardUnit {
  readonly key: string;
  readonly weight: number;
}

/**
 * Assigns units to shards: heaviest first (ties by key), each to the lightest shard so far (ties to
 * the lower index). Deterministic, so every shard of a split run computes the same assignment.
 */
export function assignShards(units: readonly ShardUnit[], count: number): Map<string, number> {
  const load = new Array<number>(count).fill(0);
  const assigned = new Map<string, number>();
  const ordered = [...units].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const unit of ordered) {
    let lightest = 0;
    for (let index = 1; index < count; index++) if (load[index]! < load[lightest]!) lightest = index;
    load[lightest]! += unit.weight;
    assigned.set(unit.key, lightest + 1);
  }
  return assigned;
}

/**
 * Most parts a run may be cut into. Far more than any CI matrix has jobs; cutting costs time in units
 * times parts ({@link assignShards}), so an unbounded count hung the run or overflowed an array.
 * The help of `xvc run --shard` (spec/commands.yaml) states it.
 */
export const maxShards = 10_000;

/** What {@link readShard} found: the shard, or why the text is none (a message naming `--shard` and the value). */
export type ShardReading = { ok: true; shard: Shard } | { ok: false; problem: string };

/** Reads `--shard I/N`: N a whole number from 1 to {@link maxShards}, I one from 1 to N. Never throws. */
export function readShard(text: string): ShardReading {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (!match) return { ok: false, problem: `--shard must look like I/N (part I of N, such as 1/3), got '${text}'` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > maxShards) return { ok: false, problem: `--shard ${text}: N must be from 1 to ${maxShards}, got ${match[2]}` };
  if (!Number.isSafeInteger(index) || index < 1 || index > count) return { ok: false, problem: `--shard ${text}: I must be from 1 to N (${count}), got ${match[1]}` };
  return { ok: true, shard: { index, count } };
}

/** A `--shard` value that names no part of a run; exit code 2. */
export class ShardUsageError extends XvcError<'badUsage'> {
  constructor(
    message: string,
    /** The value as given. */
    readonly shard: string,
  ) {
    super('badUsage', message, { command: 'run', shard });
  }
}

/** The shard of a plan (`i/n`, checked by {@link readShard}); undefined for undefined. A text that is no shard throws a {@link ShardUsageError}. */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const read = readShard(text);
  if (!read.ok) throw new ShardUsageError(read.problem, text);
  return read.shard;
}
