/**
 * Every constraint kind, in the order checkers report breaches and arbitraries consider them. Adding
 * a kind is one module in this folder and one line in {@link constraintKinds}.
 */
import type { EnumModel, FieldConstraints, FieldModel, FlagsetModel } from '../model/spec-model.ts';
import { maxOf } from '../emit/ts-literal.ts';
import { alignKind } from './align.ts';
import type { AppliedConstraint, ConstraintKind, IntegerRule } from './constraint-kind.ts';
import { constKind } from './const.ts';
import { enumKind } from './enum.ts';
import { flagsKind } from './flags.ts';
import { multipleOfKind } from './multiple-of.ts';
import { notEqualKind } from './not-equal.ts';
import { oneOfKind } from './one-of.ts';
import { powerOfTwoKind } from './power-of-two.ts';
import { rangeKind } from './range.ts';
import { reservedZeroKind } from './reserved-zero.ts';

/** The kinds, in report order: the order of issues on one field is part of a codec's behaviour. */
export const constraintKinds: readonly ConstraintKind[] = [
  reservedZeroKind,
  constKind,
  oneOfKind,
  rangeKind,
  alignKind,
  multipleOfKind,
  powerOfTwoKind,
  notEqualKind,
  enumKind,
  flagsKind,
];

/** Reads a field's `constraints:` map (already schema-checked) into the model. */
export function readConstraints(raw: Readonly<Record<string, unknown>> | undefined): FieldConstraints {
  const constraints: FieldConstraints = {};
  if (raw) for (const kind of constraintKinds) kind.read?.(raw, constraints);
  return constraints;
}

/** The definitions a field's rule refers to. */
export interface RuleContext {
  readonly enums: ReadonlyMap<string, EnumModel>;
  readonly flagsets: ReadonlyMap<string, FlagsetModel>;
}

/**
 * The rule of a field: its width, its written constraints, and what its type and access imply
 * (closed enum, flag set, reserved zero). Meaningful for integer-like fields; for others only the
 * reserved-zero part and the wording are used.
 */
export function integerRule(field: FieldModel, context: RuleContext): IntegerRule {
  const closedEnum = field.type === 'enum' && !field.open && field.enumName !== undefined ? context.enums.get(field.enumName) : undefined;
  const rule: IntegerRule = { bits: field.bits, constraints: field.constraints, reservedZero: field.access === 'RsvdZ' };
  if (field.type === 'enum' && !field.open && field.enumName !== undefined) {
    rule.enumValues = closedEnum?.values.map((value) => value.value) ?? [];
    rule.enumName = field.enumName;
  }
  if (field.type === 'flags' && field.flagsetName !== undefined) {
    let defined = 0n;
    for (const flag of context.flagsets.get(field.flagsetName)?.flags ?? []) if (flag.bit < field.bits) defined |= 1n << BigInt(flag.bit);
    rule.flags = { name: field.flagsetName, undefinedBits: maxOf(field.bits) & ~defined };
  }
  return rule;
}

/** The constraints that apply under `rule`, in report order. */
export function appliedConstraints(rule: IntegerRule): AppliedConstraint[] {
  const applied: AppliedConstraint[] = [];
  for (const kind of constraintKinds) {
    const constraint = kind.apply(rule);
    if (constraint) applied.push(constraint);
  }
  return applied;
}
