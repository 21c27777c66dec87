/**
 * Names of the fields an access touches, read from the generated layout metadata: `device_status`,
 * `queue_desc[31:0]` for one half of a 64-bit field, `table_size..enable` for an access that spans
 * several fields of one word. Nothing here knows an offset of its own.
 */
import type { FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';

const BITS_PER_BYTE = 8;

function fieldStartBit(field: FieldMeta): number {
  return field.offset * BITS_PER_BYTE + field.bit;
}

function fieldBits(field: FieldMeta): number {
  return field.bits;
}

/**
 * The name of what `[offset, offset + width)` covers in `layout`, or undefined when it covers no
 * field. `width` undefined means one byte (the least an access can touch).
 */
export function fieldNameAt(layout: LayoutMeta, offset: number, width: number | undefined): string | undefined {
  const start = offset * BITS_PER_BYTE;
  const end = (offset + (width ?? 1)) * BITS_PER_BYTE;
  const touched = layout.fields.filter((field) => fieldBits(field) > 0 && fieldStartBit(field) < end && fieldStartBit(field) + fieldBits(field) > start);
  if (touched.length === 0) return undefined;
  if (touched.length > 1) return `${touched[0]!.specName}..${touched.at(-1)!.specName}`;
  const field = touched[0]!;
  const from = Math.max(start, fieldStartBit(field)) - fieldStartBit(field);
  const to = Math.min(end, fieldStartBit(field) + fieldBits(field)) - fieldStartBit(field);
  // Part of a wider field (a 32-bit half of a 64-bit one, a byte of a word): name the bits.
  if (from === 0 && to === fieldBits(field)) return field.specName;
  return `${field.specName}[${to - 1}:${from}]`;
}

/** The field of `layout` named `specName` (for code that needs a field's offset or width by name). */
export function layoutFieldNamed(layout: LayoutMeta, specName: string): FieldMeta | undefined {
  return layout.fields.find((field) => field.specName === specName);
}
