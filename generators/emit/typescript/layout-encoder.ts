/** Emits a layout's encoder: straight-line writes per field into a caller's buffer or a new one. */
import type { FieldModel, LayoutModel } from '../../model/spec-model.ts';
import { writeField } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** Statements that write one field of `value` into `t` at base offset `o`. */
export function encodeStatements(field: FieldModel, bigEndian: boolean): string[] {
  const value = `value.${field.name}`;
  switch (field.type) {
    case 'bytes':
      if (field.bytes === 'rest') return [`t.set(${value}, o + ${field.offset});`];
      return [
        `t.set(${value}.length > ${field.bytes} ? ${value}.subarray(0, ${field.bytes}) : ${value}, o + ${field.offset});`,
        ...(field.bytes !== undefined
          ? [`if (${value}.length < ${field.bytes}) t.fill(0, o + ${field.offset} + ${value}.length, o + ${field.offset + (field.bytes as number)});`]
          : []),
      ];
    case 'layout':
      return [`${layoutNames(field.layoutName!).encode}(${value}, t, o + ${field.offset});`];
    case 'array': {
      const array = field.array!;
      if (array.layoutName !== undefined) {
        const size = field.bits / 8 / array.count;
        return [`for (let i = 0; i < ${array.count}; i++) ${layoutNames(array.layoutName).encode}(${value}[i]!, t, o + ${field.offset} + i * ${size});`];
      }
      const lines: string[] = [];
      for (let index = 0; index < array.count; index++) {
        const element: FieldModel = { ...field, type: 'uint', bit: 0, bits: array.bits!, offset: field.offset + (index * array.bits!) / 8 };
        lines.push(...writeField(element, `(${value}[${index}] ?? ${array.bits! <= 32 ? '0' : '0n'})`, bigEndian));
      }
      return lines;
    }
    default:
      return writeField(field, value, bigEndian);
  }
}

/** The layout's exported encoder, as source lines. */
export function emitEncoder(layout: LayoutModel): string[] {
  const names = layoutNames(layout.name);
  const bigEndian = layout.endianness === 'big';
  const tail = layout.fields.find((field) => field.bytes === 'rest');
  const out: string[] = [];
  out.push(docComment(`Encodes a {@link ${names.type}} into \`t\` at \`o\` (a new buffer of the layout's size when \`t\` is omitted).`));
  out.push(`export function ${names.encode}(value: ${names.type}, t?: Uint8Array, o = 0): Uint8Array {`);
  const sizeExpression = tail ? `Math.max(${layout.size}, ${tail.offset} + value.${tail.name}.length)` : `${layout.size}`;
  out.push(`  if (t === undefined) t = new Uint8Array(${sizeExpression});`);
  for (const field of layout.fields) {
    for (const line of encodeStatements(field, bigEndian)) out.push(`  ${line}`);
  }
  out.push('  return t;');
  out.push('}', '');
  return out;
}
