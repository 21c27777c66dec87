/**
 * Field lookups in generated layout metadata, so widths and offsets come from `generated/` rather
 * than being typed by hand.
 */
import type { FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';

/** The field `name` (camelCase) of `layout`; a missing name is a programming error and throws. */
export function layoutField(layout: LayoutMeta, name: string): FieldMeta {
  const field = layout.fields.find((candidate) => candidate.name === name);
  if (field === undefined) throw new Error(`layout ${layout.name} has no field ${name}`);
  return field;
}

/** Largest value an unsigned field of at most 32 bits holds (all of its bits set). */
export function fieldMaxValue(field: FieldMeta): number {
  return 2 ** field.bits - 1;
}
