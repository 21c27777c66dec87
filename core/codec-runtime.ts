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
  /** Element count of an array field. */
  readonly count?: number;
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

/**
 * Appends the issue of field `index` of `meta` breaking a constraint: `actual` is the value found
 * (or, for byte strings and arrays, a description), `expected` the constraint in words, `base` the
 * byte offset of the layout (absolute when decoding, 0 when checking a value).
 */
export function withFieldIssue(
  issues: LayoutIssue[],
  meta: LayoutMeta,
  index: number,
  base: number,
  code: LayoutIssueCode,
  actual: number | bigint | string,
  expected: string,
): LayoutIssue[] {
  const field = meta.fields[index]!;
  const byteOffset = base + field.offset;
  const shown = typeof actual === 'string' ? actual : hex(actual);
  return withIssue(issues, {
    code,
    layout: meta.name,
    path: [field.specName],
    byteOffset,
    actual,
    expected,
    ...(field.requirement !== undefined && { requirement: field.requirement }),
    message: `${meta.name}.${field.specName} at byte ${byteOffset}: expected ${expected}, found ${shown}`,
  });
}

/** Whether a field holds a JavaScript number (up to 32 bits) rather than a bigint. */
function isNumberField(field: FieldMeta): boolean {
  return field.bits <= 32;
}

/**
 * What a field of `value` must be to fit the field, in words, or undefined when it fits. Decoded
 * values always fit; `check()` runs this on values built in code, which may not.
 */
function widthProblem(field: FieldMeta, value: unknown): string | undefined {
  switch (field.type) {
    case 'uint':
    case 'enum':
    case 'flags': {
      if (isNumberField(field)) {
        const max = 2 ** field.bits - 1;
        const fits = Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
        return fits ? undefined : `an integer in [0, ${max}]`;
      }
      const max = (1n << BigInt(field.bits)) - 1n;
      const fits = typeof value === 'bigint' && value >= 0n && value <= max;
      return fits ? undefined : `a bigint in [0, ${max}]`;
    }
    case 'bytes':
      // A `rest` tail (0 bits) has no fixed length to hold it to.
      if (field.bits === 0) return undefined;
      return (value as Uint8Array).length === field.bits / 8 ? undefined : `${field.bits / 8} bytes`;
    case 'array':
      return field.count === undefined || (value as readonly unknown[]).length === field.count ? undefined : `${field.count} elements`;
    default:
      // Booleans and nested layouts: a nested layout's own checker judges its fields.
      return undefined;
  }
}

/** Appends a `width` issue for every field of `value` that does not fit its field of `meta`, in field order. */
export function withWidthIssues(issues: LayoutIssue[], meta: LayoutMeta, value: object): LayoutIssue[] {
  let result = issues;
  const fields = value as Readonly<Record<string, unknown>>;
  for (let index = 0; index < meta.fields.length; index++) {
    const field = meta.fields[index]!;
    const expected = widthProblem(field, fields[field.name]);
    if (expected !== undefined) result = withFieldIssue(result, meta, index, 0, 'width', 'a value that does not fit', expected);
  }
  return result;
}

/** Appends a `size-multiple` issue when the `end - offset` bytes of a variable layout are not a multiple its size must be. */
export function withSizeMultipleIssue(issues: LayoutIssue[], meta: LayoutMeta, offset: number, end: number): LayoutIssue[] {
  const multiple = meta.sizeMultipleOf;
  if (multiple === undefined || (end - offset) % multiple === 0) return issues;
  return withIssue(issues, {
    code: 'size-multiple',
    layout: meta.name,
    path: [],
    byteOffset: offset,
    actual: end - offset,
    expected: `size multiple of ${multiple}`,
    message: `${meta.name} at byte ${offset}: size ${end - offset} is not a multiple of ${multiple}`,
  });
}

/**
 * Decodes a layout whose bytes end before its (minimum) size: decodes a zero-padded copy with
 * `decode`, keeps the issues of the fields that were read whole, and reports every field that was cut
 * as `truncated` instead of judging the padding. A negative offset means no data at all.
 */
export function decodeTruncated<T>(
  meta: LayoutMeta,
  decode: (bytes: Uint8Array, offset: number, end: number) => Decoded<T>,
  bytes: Uint8Array,
  offset: number,
  end: number,
): Decoded<T> {
  const available = Math.min(end, bytes.length);
  const limit = offset < 0 ? 0 : Math.max(0, available - offset);
  const inner = decode(padTruncated(bytes.subarray(0, available), offset, meta.size), 0, meta.size);
  const cut = new Set<string>();
  for (const field of meta.fields) if (field.offset * 8 + field.bit + field.bits > limit * 8) cut.add(field.specName);
  let issues: LayoutIssue[] = noIssues;
  for (const issue of inner.issues) {
    // The size of a structure that could not be read whole is not judged.
    if (issue.code === 'size-multiple' || cut.has(issue.path[0] ?? '')) continue;
    issues = withIssue(issues, { ...issue, byteOffset: issue.byteOffset + offset });
  }
  for (const field of meta.fields) {
    if (!cut.has(field.specName)) continue;
    issues = withIssue(issues, {
      code: 'truncated',
      layout: meta.name,
      path: [field.specName],
      byteOffset: offset + field.offset,
      actual: limit,
      expected: `${Math.ceil((field.offset * 8 + field.bit + field.bits) / 8)} bytes`,
      message: `${meta.name}.${field.specName} at byte ${offset + field.offset}: data ends after ${limit} of ${meta.size} bytes`,
    });
  }
  return { value: inner.value, issues };
}
