/**
 * Types and small helpers shared by every generated codec (generated/ts/**). Generated modules import
 * this file; nothing here knows any particular layout.
 */

/** Access semantics of a field, from the layout's `access` key. */
export type FieldAccess = 'RO' | 'RW' | 'WO' | 'RsvdZ' | 'RsvdP' | 'W1C' | 'driver-writable';

/** Machine-readable description of one field, emitted for every field of every layout. */
export interface FieldMeta {
  /** Name as written in the spec (snake_case). */
  readonly specName: string;
  /** Property name in the generated TypeScript type (camelCase). */
  readonly name: string;
  /** Byte offset from the start of the layout. */
  readonly offset: number;
  /** Start bit within the byte at `offset` (0 unless a bit field). */
  readonly bit: number;
  /** Width in bits (for byte strings: 8 x length; 0 for a `rest` tail). */
  readonly bits: number;
  readonly type: 'uint' | 'bool' | 'enum' | 'flags' | 'bytes' | 'layout' | 'array';
  readonly access: FieldAccess;
  /** Spec version that added the field, if the spec says. */
  readonly since?: string;
  readonly until?: string;
  /** Referenced enum, flag set or layout name. */
  readonly ref?: string;
  readonly requirement?: string;
  readonly doc: string;
}

/** Machine-readable description of one layout. */
export interface LayoutMeta {
  readonly name: string;
  readonly title: string;
  /** Fixed size in bytes; for variable layouts the minimum size. */
  readonly size: number;
  readonly variable: boolean;
  readonly sizeMultipleOf?: number;
  readonly spec: string;
  readonly ref: string;
  readonly proposal: boolean;
  readonly fields: readonly FieldMeta[];
}

/** Why a decoded value breaks its layout: a discriminated union on `code`. */
export type LayoutIssueCode =
  | 'truncated'
  | 'const'
  | 'one-of'
  | 'range'
  | 'align'
  | 'multiple-of'
  | 'power-of-two'
  | 'not-equal'
  | 'enum'
  | 'flags'
  | 'reserved-nonzero'
  | 'size-multiple';

/** One located problem found while decoding or checking a value. */
export interface LayoutIssue {
  code: LayoutIssueCode;
  /** Layout that owns the field. */
  layout: string;
  /** Field path from the decoded root, spec names, e.g. `["cap", "cfg_type"]`. */
  path: string[];
  /** Absolute byte offset of the field in the decoded buffer (or -1 when checking a value). */
  byteOffset: number;
  /** The value found (for `truncated`: the bytes available). */
  actual: number | bigint | string;
  /** The broken constraint, rendered, e.g. `align 4` or `const 0x9`. */
  expected: string;
  /** Requirement id the constraint enforces, when the spec names one. */
  requirement?: string;
  message: string;
}

/** What every decoder returns: never throws; problems are data. */
export interface Decoded<T> {
  value: T;
  issues: LayoutIssue[];
}

/** A generated value that breaks exactly one constraint, for negative tests and fuzzing. */
export interface NearValid<T> {
  value: T;
  broken: { path: string[]; constraint: LayoutIssueCode };
}

/** The uniform face of a generated codec, used by generic code (round-trip tests, decode tools). */
export interface LayoutCodec<T> {
  readonly meta: LayoutMeta;
  decode(bytes: Uint8Array, offset?: number): Decoded<T>;
  encode(value: T, target?: Uint8Array, offset?: number): Uint8Array;
  check(value: T): LayoutIssue[];
}

/** Shared, frozen empty issue list: decoders return it when nothing is wrong, to avoid allocation. */
export const noIssues: LayoutIssue[] = Object.freeze([]) as unknown as LayoutIssue[];

/** Renders a number as 0x-prefixed hex, the way issue messages show values. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
