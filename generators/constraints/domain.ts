/**
 * The values of one integer field, worked out exactly from its constraint kinds: which are valid
 * (the loader's satisfiability check and the valid arbitraries) and which break exactly one
 * constraint (the near-valid arbitraries). Exact, so that generated arbitraries are plain lists and
 * ranges that never need a filter that could starve fast-check.
 */
import type { LayoutIssueCode } from '../../core/codec-runtime.ts';
import { maxOf } from '../emit/ts-literal.ts';
import type { AppliedConstraint, IntegerRule } from './constraint-kind.ts';
import { appliedConstraints } from './registry.ts';

/** Every code `value` breaks among `applied`, in report order. */
function broken(value: bigint, applied: readonly AppliedConstraint[]): LayoutIssueCode[] {
  const codes: LayoutIssueCode[] = [];
  for (const constraint of applied) if (!constraint.holds(value)) codes.push(constraint.code);
  return codes;
}

/** Every constraint code `value` breaks under `rule`, in the order a checker reports them. */
export function brokenCodes(value: bigint, rule: IntegerRule): LayoutIssueCode[] {
  return broken(value, appliedConstraints(rule));
}

/** The codes a near-valid value of a field with this rule may break (one at a time). */
export function declaredCodes(rule: IntegerRule): LayoutIssueCode[] {
  return appliedConstraints(rule)
    .filter((constraint) => constraint.breakable)
    .map((constraint) => constraint.code);
}

/** The valid values of a field, as something an arbitrary can be built from. */
export type ValidDomain =
  | { kind: 'list'; values: bigint[] }
  /** `k * step` for k in [low, high], minus `exclude`. */
  | { kind: 'steps'; low: bigint; high: bigint; step: bigint; exclude: bigint[] };

/** Largest arithmetic domain spelled out as a list; bigger ones stay `k * step` with a filter. */
const listLimit = 16n;

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The step every valid value is a multiple of: the least common multiple of the kinds' steps. */
function stepOf(applied: readonly AppliedConstraint[]): bigint {
  let step = 1n;
  for (const constraint of applied) if (constraint.step !== undefined) step = (step / gcd(step, constraint.step)) * constraint.step;
  return step;
}

/** Computes the exact valid domain of an integer field. */
export function validDomain(rule: IntegerRule): ValidDomain {
  const applied = appliedConstraints(rule);
  const max = maxOf(rule.bits);
  const valid = (value: bigint): boolean => value >= 0n && value <= max && broken(value, applied).length === 0;
  // A kind that lists what it allows bounds the domain to that list (every list is a superset of the
  // valid values, so which one is used does not change the result).
  const listed = applied.find((constraint) => constraint.allowed !== undefined)?.allowed;
  if (listed) return { kind: 'list', values: [...new Set(listed)].filter(valid).sort(compare) };
  const step = stepOf(applied);
  const bounds = applied.find((constraint) => constraint.bounds !== undefined)?.bounds;
  const lowValue = bounds ? bounds[0] : 0n;
  const highValue = bounds ? (bounds[1] < max ? bounds[1] : max) : max;
  const low = (lowValue + step - 1n) / step;
  const high = highValue / step;
  const excluded = applied.flatMap((constraint) => constraint.excluded ?? []);
  const exclude = excluded.filter((value) => value % step === 0n && value >= lowValue && value <= highValue);
  // A list when the domain is small, or when the filter would throw most candidates away.
  if (high - low < listLimit || BigInt(exclude.length) * 2n > high - low + 1n) {
    const values: bigint[] = [];
    for (let k = low; k <= high; k++) if (valid(k * step)) values.push(k * step);
    return { kind: 'list', values };
  }
  return { kind: 'steps', low, high, step, exclude };
}

/** Whether a field with this rule has any valid value. */
export function isSatisfiable(rule: IntegerRule): boolean {
  const domain = validDomain(rule);
  // A steps domain is chosen only when it is wide and mostly unexcluded, so it is never empty.
  return domain.kind === 'steps' || domain.values.length > 0;
}

/** How many breaking values a near-valid arbitrary picks from, at most. */
const breakingLimit = 16;

/**
 * Values of the field's width that break `code` and no other constraint of the field. Empty when
 * the constraint cannot be broken within the width (e.g. `range [0, 255]` on 8 bits).
 */
export function breakingValues(rule: IntegerRule, code: LayoutIssueCode): bigint[] {
  const applied = appliedConstraints(rule);
  const max = maxOf(rule.bits);
  const step = stepOf(applied);
  // Candidates: the edges of the width, the powers of two, and what the kinds name (their values,
  // the edges of their ranges), each nudged by small amounts and by the steps.
  const bases = new Set<bigint>([0n, 1n, 2n, 3n, max, max - 1n, 1n << BigInt(rule.bits - 1)]);
  for (const constraint of applied) for (const value of constraint.landmarks?.(step) ?? []) bases.add(value);
  for (let exponent = 0; exponent < rule.bits; exponent++) bases.add(1n << BigInt(exponent));
  const deltas = new Set<bigint>([0n, 1n, 2n, step, step + 1n, 2n * step]);
  for (const constraint of applied) if (constraint.step !== undefined) deltas.add(constraint.step);
  const candidates = new Set<bigint>();
  for (const base of bases) {
    for (const delta of deltas) {
      candidates.add(base + delta);
      candidates.add(base - delta);
    }
  }
  const found: bigint[] = [];
  for (const candidate of [...candidates].sort(compare)) {
    if (candidate < 0n || candidate > max) continue;
    const codes = broken(candidate, applied);
    if (codes.length === 1 && codes[0] === code) found.push(candidate);
  }
  if (found.length <= breakingLimit) return found;
  // Keep the extremes and an even spread in between, so both ends of the space are exercised.
  const picked: bigint[] = [];
  for (let index = 0; index < breakingLimit; index++) {
    picked.push(found[Math.round((index * (found.length - 1)) / (breakingLimit - 1))]!);
  }
  return [...new Set(picked)];
}
