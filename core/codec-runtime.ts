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
  /** Constraints on an integer field's value, as the spec states them. */
  readonly constraints?: FieldConstraintsMeta;
  readonly doc: string;
}

/** The constraints of a field, values in the field's own type (number up to 32 bits, else bigint). */
export interface FieldConstraintsMeta {
  readonly const?: number | bigint;
  readonly oneOf?: readonly (number | bigint)[];
  readonly range?: readonly [number | bigint, number | bigint];
  readonly align?: number;
  readonly multipleOf?: number;
  readonly powerOfTwo?: true | 'orZero';
  readonly notEqual?: readonly (number | bigint)[];
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
  | 'size-multiple'
  /** A value given to `check()` does not fit its field (wrong type, negative, too wide, wrong length). */
  | 'width';

/** One located problem found while decoding or checking a value. */
export interface LayoutIssue {
  code: LayoutIssueCode;
  /** Layout that owns the field. */
  layout: string;
  /** Field path from the decoded root, spec names, e.g. `["cap", "cfg_type"]`. */
  path: string[];
  /** Byte offset of the field: absolute in the decoded buffer, or relative to the layout start when checking a value. */
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
  /**
   * Decodes the layout at `offset`. `end` bounds the data (default: the buffer's length); it matters
   * for variable layouts, whose `rest` tail runs to `end`, and for truncation.
   */
  decode(bytes: Uint8Array, offset?: number, end?: number): Decoded<T>;
  encode(value: T, target?: Uint8Array, offset?: number): Uint8Array;
  check(value: T): LayoutIssue[];
}

/** Description of a union: which discriminator value selects which layout. */
export interface UnionMeta {
  readonly name: string;
  readonly title: string;
  readonly spec: string;
  readonly ref: string;
  readonly proposal: boolean;
  readonly discriminator: { readonly offset: number; readonly bits: number; readonly mask?: number; readonly field?: string };
  readonly cases: readonly { readonly values: readonly number[]; readonly layout: string }[];
  readonly defaultLayout: string;
}

/** The uniform face of a generated union codec. */
export interface UnionCodec<T> {
  readonly meta: UnionMeta;
  decode(bytes: Uint8Array, offset?: number, end?: number): Decoded<T>;
  encode(value: T, target?: Uint8Array, offset?: number): Uint8Array;
  check(value: T): LayoutIssue[];
}

/** Shared, frozen empty issue list: decoders return it when nothing is wrong, to avoid allocation. */
export const noIssues: LayoutIssue[] = Object.freeze([]) as unknown as LayoutIssue[];

/** Renders a number as 0x-prefixed hex, the way issue messages show values. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** Reads an unsigned little-endian integer of `length` (1..8) bytes as a bigint. */
export function readUintLE(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let index = length - 1; index >= 0; index--) value = (value << 8n) | BigInt(bytes[offset + index] ?? 0);
  return value;
}

/** Reads an unsigned big-endian integer of `length` (1..8) bytes as a bigint. */
export function readUintBE(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let index = 0; index < length; index++) value = (value << 8n) | BigInt(bytes[offset + index] ?? 0);
  return value;
}

/** Writes the low `length` bytes of `value` little-endian. */
export function writeUintLE(bytes: Uint8Array, offset: number, length: number, value: bigint): void {
  let rest = value;
  for (let index = 0; index < length; index++) {
    bytes[offset + index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Writes the low `length` bytes of `value` big-endian. */
export function writeUintBE(bytes: Uint8Array, offset: number, length: number, value: bigint): void {
  let rest = value;
  for (let index = length - 1; index >= 0; index--) {
    bytes[offset + index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Reads a little-endian 64-bit unsigned integer as a bigint (two 32-bit halves, low first). */
export function readU64LE(bytes: Uint8Array, offset: number): bigint {
  const low = (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
  const high =
    (bytes[offset + 4]! | (bytes[offset + 5]! << 8) | (bytes[offset + 6]! << 16) | (bytes[offset + 7]! << 24)) >>> 0;
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Appends an issue to a list that may be the shared frozen {@link noIssues}. */
export function withIssue(issues: LayoutIssue[], issue: LayoutIssue): LayoutIssue[] {
  if (issues === noIssues) return [issue];
  issues.push(issue);
  return issues;
}

/** Prefixes the paths of a nested layout's issues with the field that holds it. */
export function nestIssues(issues: LayoutIssue[], into: LayoutIssue[], field: string, shift = 0): LayoutIssue[] {
  let result = into;
  for (const issue of issues) {
    result = withIssue(result, { ...issue, path: [field, ...issue.path], byteOffset: issue.byteOffset + shift });
  }
  return result;
}

/** Copies the available part of a layout into a zero-filled buffer of its full size (truncated input). */
export function padTruncated(bytes: Uint8Array, offset: number, size: number): Uint8Array {
  const padded = new Uint8Array(size);
  if (offset < bytes.length && offset >= 0) padded.set(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
  return padded;
}

/** Whether any byte is non-zero (a plain loop: this runs for every reserved byte field decoded). */
export function anyNonZero(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) if (bytes[index] !== 0) return true;
  return false;
}
