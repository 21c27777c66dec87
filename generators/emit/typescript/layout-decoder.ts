/**
 * Emits a layout's decoder: straight-line reads per field, then the field checks. Truncated input
 * goes to the runtime's generic `decodeTruncated`, which needs only the layout's metadata.
 */
import type { FieldModel, LayoutModel } from '../../model/spec-model.ts';
import { readField } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** Source of the expression that decodes one field at base offset `o` of `b`. */
export function decodeExpression(field: FieldModel, bigEndian: boolean): string {
  switch (field.type) {
    case 'bytes':
      // A view, not a copy: decoding is on every hot path and copying byte fields dominated its cost.
      return field.bytes === 'rest' ? `b.subarray(o + ${field.offset}, end)` : `b.subarray(o + ${field.offset}, o + ${field.offset + (field.bytes as number)})`;
    case 'layout':
      return `n_${field.name}.value`;
    case 'array': {
      const array = field.array!;
      if (array.layoutName !== undefined) {
        const nested = layoutNames(array.layoutName);
        const size = field.bits / 8 / array.count;
        return `Array.from({ length: ${array.count} }, (_, i) => ${nested.decode}(b, o + ${field.offset} + i * ${size}).value)`;
      }
      const element: FieldModel = { ...field, type: 'uint', bit: 0, bits: array.bits! };
      const items: string[] = [];
      for (let index = 0; index < array.count; index++) {
        items.push(readField({ ...element, offset: field.offset + (index * array.bits!) / 8 }, bigEndian));
      }
      return `[${items.join(', ')}]`;
    }
    default:
      return readField(field, bigEndian);
  }
}

/** The layout's exported decoder, as source lines. */
export function emitDecoder(layout: LayoutModel): string[] {
  const names = layoutNames(layout.name);
  const bigEndian = layout.endianness === 'big';
  const out: string[] = [];
  out.push(docComment(`Decodes {@link ${names.type}} at \`offset\`; never throws. Problems, including truncation, are returned as issues. Byte-string fields are views into \`b\` (copy them to keep them past a change of \`b\`).`));
  out.push(`export function ${names.decode}(b: Uint8Array, o = 0, end = b.length): Decoded<${names.type}> {`);
  out.push(`  if (o < 0 || o + ${layout.size} > end || end > b.length) return decodeTruncated(${names.meta}, ${names.decode}, b, o, end);`);
  out.push(`  let issues: LayoutIssue[] = noIssues;`);
  for (const field of layout.fields) {
    if (field.type === 'layout') {
      const nested = layoutNames(field.layoutName!);
      out.push(`  const n_${field.name} = ${nested.decode}(b, o + ${field.offset});`);
      out.push(`  if (n_${field.name}.issues.length > 0) issues = nestIssues(n_${field.name}.issues, issues, '${field.specName}');`);
    }
  }
  out.push(`  const value: ${names.type} = {`);
  for (const field of layout.fields) out.push(`    ${field.name}: ${decodeExpression(field, bigEndian)},`);
  out.push('  };');
  out.push(`  issues = checkFields${names.type}(value, o, issues);`);
  if (layout.sizeMultipleOf !== undefined) out.push(`  issues = withSizeMultipleIssue(issues, ${names.meta}, o, end);`);
  out.push('  return { value, issues };');
  out.push('}', '');
  return out;
}
