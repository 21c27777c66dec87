/**
 * Laws every applied constraint kind keeps, whatever its parameter: the check it emits into generated
 * code is true exactly for the values its predicate refuses, and what it tells the arbitraries
 * (allowed list, bounds, step, exclusions) never rules out a value the predicate accepts. Each kind's
 * own test adds what is particular to it (its wording, its parsing).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { AppliedConstraint } from '../generators/constraints/constraint-kind.ts';
import { propertyParameters } from './fast-check-seed.ts';

/** Values of a `bits`-wide field to judge the constraint on: all of them when few, else edges, landmarks and a sample. */
export function valuesToJudge(constraint: AppliedConstraint, bits: number): bigint[] {
  const max = (1n << BigInt(bits)) - 1n;
  if (bits <= 12) return Array.from({ length: Number(max) + 1 }, (_, index) => BigInt(index));
  const values = new Set<bigint>([0n, 1n, 2n, 3n, max, max - 1n, 1n << BigInt(bits - 1)]);
  for (const landmark of [...(constraint.landmarks?.(constraint.step ?? 1n) ?? []), ...(constraint.allowed ?? []).slice(0, 64), ...(constraint.bounds ?? [])]) {
    for (const delta of [-1n, 0n, 1n]) values.add(landmark + delta);
  }
  for (const value of fc.sample(fc.bigInt({ min: 0n, max }), propertyParameters({ numRuns: 300 }))) values.add(value);
  return [...values].filter((value) => value >= 0n && value <= max);
}

/** The emitted condition as a function of the field value, or undefined when nothing is emitted. */
export function emittedCheck(constraint: AppliedConstraint, bits: number): ((value: bigint) => boolean) | undefined {
  const asNumber = bits <= 32;
  const condition = constraint.brokenWhen('x', asNumber);
  if (condition === undefined) return undefined;
  const evaluate = new Function('x', `return ${condition};`) as (x: number | bigint) => boolean;
  return (value) => evaluate(asNumber ? Number(value) : value);
}

/** Asserts the laws of `constraint` on a field `bits` wide. */
export function expectConstraintLaws(constraint: AppliedConstraint, bits: number): void {
  const values = valuesToJudge(constraint, bits);
  const broken = emittedCheck(constraint, bits);
  for (const value of values) {
    const holds = constraint.holds(value);
    // The emitted check and the predicate agree; no check at all means nothing in the width breaks it.
    expect({ value, broken: broken ? broken(value) : false }).toEqual({ value, broken: !holds });
    if (!holds) continue;
    if (constraint.allowed) expect(constraint.allowed).toContain(value);
    if (constraint.bounds) expect(value >= constraint.bounds[0] && value <= constraint.bounds[1]).toBe(true);
    if (constraint.step !== undefined) expect(value % constraint.step).toBe(0n);
    if (constraint.excluded) expect(constraint.excluded).not.toContain(value);
  }
  const meta = constraint.metaEntry?.(bits <= 32);
  if (meta !== undefined) expect(() => new Function(`return { ${meta} };`)()).not.toThrow();
}
