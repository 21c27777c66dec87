/**
 * Which cases a run executes: those naming a requirement the user asked for (`--requirement`, globs
 * allowed), and of those the run's shard. Shards are cut by (target, test) with weights, so that
 * `--shard i/n` parts take about the same time: a device target is one unit (its checks share one
 * opened target, a QEMU process), every other case is its own unit.
 */
import { matchesGlob } from '../../core/glob.ts';
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

/** Parses `i/n`; undefined for undefined. */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const [index, count] = text.split('/').map(Number) as [number, number];
  return { index, count };
}
