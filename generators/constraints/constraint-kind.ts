/**
 * The contract of a constraint kind. Each kind (`const`, `range`, `align`, a closed enum, reserved-zero
 * access, ...) is one module in this folder that owns everything about it: how it is read from the
 * YAML, when a value meets it, how it is worded, the issue code a decoder reports, the check emitted
 * into generated code, and the values arbitraries draw to meet or break it. Loaders and emitters never
 * name a kind; they iterate over {@link ./registry.ts}, so a new kind is one new module and one line
 * there.
 */
import type { LayoutIssueCode } from '../../core/codec-runtime.ts';
import type { FieldConstraints } from '../model/spec-model.ts';

/** Everything that decides which values of one integer-like field (uint, enum, flags) are valid. */
export interface IntegerRule {
  bits: number;
  /** The constraints written under `constraints:` in the YAML. */
  constraints: FieldConstraints;
  /** Allowed values of a closed enum (undefined for open enums and other types). */
  enumValues?: readonly bigint[];
  /** Name of that closed enum, for wording. */
  enumName?: string;
  /** RsvdZ access: the value must be 0. */
  reservedZero: boolean;
  /** A flags field: its flag set's name and the bits (within the width) the set does not define. */
  flags?: { name: string; undefinedBits: bigint };
}

/** One constraint of one field: a kind with its parameter bound, as every consumer needs it. */
export interface AppliedConstraint {
  /** The issue code a decoder or checker reports when a value breaks it. */
  readonly code: LayoutIssueCode;
  /** The constraint in words, as issues and load-time messages show it, e.g. `range [16, 255]`. */
  readonly expected: string;
  /** Whether `value` (already within the field's width) meets the constraint. */
  holds(value: bigint): boolean;
  /**
   * Source of a condition that is true exactly when the field value held in the variable `x` breaks
   * the constraint (`x` a number when `asNumber`, else a bigint); undefined when no value of the
   * field's width can break it, so nothing needs to be emitted.
   */
  brokenWhen(x: string, asNumber: boolean): string | undefined;
  /** Why no value of the field's width meets the constraint on its own (a spec error), if so. */
  readonly outsideWidth?: string;
  /** Entry of the field's `constraints` metadata (`range: [0x10, 0xff]`), for kinds written in the YAML. */
  metaEntry?(asNumber: boolean): string;
  /** Words in C header comments, if the kind is shown there. */
  readonly cText?: string;
  /** Words in the Markdown reference, if the kind is shown there. */
  readonly docText?: string;
  /** Every value the constraint allows, when that is a short list (a superset of the field's valid values). */
  readonly allowed?: readonly bigint[];
  /** Valid values are multiples of this. */
  readonly step?: bigint;
  /** Valid values lie in this inclusive interval. */
  readonly bounds?: readonly [bigint, bigint];
  /** Values excluded one by one. */
  readonly excluded?: readonly bigint[];
  /** Values next to which values that break the constraint are searched, given the field's step. */
  landmarks?(step: bigint): readonly bigint[];
  /** Whether near-valid arbitraries break this constraint on its own (a kind says why not when false). */
  readonly breakable: boolean;
}

/** One constraint kind. */
export interface ConstraintKind {
  /** Name of the kind, as in the YAML `constraints:` map for kinds written there. */
  readonly name: string;
  /** The issue code its breaches carry. */
  readonly code: LayoutIssueCode;
  /**
   * For kinds written under `constraints:` in the YAML: copies the (schema-checked) entry of `raw`
   * into `into`, normalised, when present.
   */
  read?(raw: Readonly<Record<string, unknown>>, into: FieldConstraints): void;
  /** The kind as it applies to a field with this rule, or undefined when it does not. */
  apply(rule: IntegerRule): AppliedConstraint | undefined;
}

/** An integer from the YAML (a number, or a string for 64-bit values) as a bigint. */
export function yamlInteger(value: unknown): bigint {
  if (typeof value === 'number' || typeof value === 'string') return BigInt(value);
  return 0n;
}

/** `0` or `0n`, the zero of a field's value type in source. */
export function zeroLiteral(asNumber: boolean): string {
  return asNumber ? '0' : '0n';
}
