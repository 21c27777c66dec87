/** Emits the TypeScript type of a layout and its size and offset constants. */
import type { FieldModel, LayoutModel } from '../../model/spec-model.ts';
import { isNumberField } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** The TypeScript type of a field's value. */
export function fieldType(field: FieldModel): string {
  switch (field.type) {
    case 'bool':
      return 'boolean';
    case 'bytes':
      return 'Uint8Array';
    case 'layout':
      return layoutNames(field.layoutName!).type;
    case 'array':
      if (field.array?.layoutName !== undefined) return `${layoutNames(field.array.layoutName).type}[]`;
      return (field.array?.bits ?? 32) <= 32 ? 'number[]' : 'bigint[]';
    default:
      return isNumberField(field) ? 'number' : 'bigint';
  }
}

/** The layout's interface, `NAME_SIZE` and `NAME_OFFSETS`, as source lines. */
export function emitLayoutType(layout: LayoutModel): string[] {
  const names = layoutNames(layout.name);
  const out: string[] = [];
  out.push(docComment(`${layout.title}. ${layout.doc} (${layout.ref})${layout.proposal ? ' PROPOSAL: not part of any standard.' : ''}`));
  out.push(`export interface ${names.type} {`);
  for (const field of layout.fields) {
    out.push(docComment(`${field.doc}${field.since ? ` Since ${layout.spec} ${field.since}.` : ''}`, '  '));
    out.push(`  ${field.name}: ${fieldType(field)};`);
  }
  out.push('}', '');
  out.push(docComment(`${layout.variable ? 'Minimum size' : 'Size'} of {@link ${names.type}} in bytes.`));
  out.push(`export const ${names.size} = ${layout.size};`, '');
  out.push(docComment(`Byte offset of every field of {@link ${names.type}}.`));
  out.push(`export const ${names.offsets} = {`);
  for (const field of layout.fields) out.push(`  ${field.name}: ${field.offset},`);
  out.push('} as const;', '');
  return out;
}
