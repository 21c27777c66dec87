/**
 * Source-text builders for reading and writing integer fields. Generated decoders read bytes with
 * straight-line shifts (no DataView, no loops) because that is what a hand-written decoder does and
 * the benchmark holds the generated code to within 1.3x of one.
 */
import type { FieldModel } from '../../model/spec-model.ts';

/** Whether a field's value is a JavaScript number (up to 32 bits) rather than a bigint. */
export function isNumberField(field: FieldModel): boolean {
  return field.bits <= 32;
}

function containerBytes(field: FieldModel): number {
  return Math.ceil((field.bit + field.bits) / 8);
}

/** Source of a number read of `length` (1..4) bytes at `position` (an expression), little- or big-endian. */
export function readNumber(offset: number, length: number, bigEndian: boolean, buffer = 'b'): string {
  const byte = (index: number): string => `${buffer}[o + ${offset + index}]!`;
  const parts: string[] = [];
  for (let index = 0; index < length; index++) {
    const shift = bigEndian ? (length - 1 - index) * 8 : index * 8;
    parts.push(shift === 0 ? byte(index) : `(${byte(index)} << ${shift})`);
  }
  const joined = parts.join(' | ');
  if (length === 1) return joined;
  return length === 4 ? `((${joined}) >>> 0)` : `(${joined})`;
}

/** Source of the expression that reads an integer-like field from `b` at base offset `o`. */
export function readField(field: FieldModel, bigEndian: boolean): string {
  const position = `o + ${field.offset}`;
  const bytes = containerBytes(field);
  if (field.type === 'bool') return `((b[${position}]! >>> ${field.bit}) & 1) === 1`;
  const aligned = field.bit === 0 && field.bits === bytes * 8;
  if (field.bits <= 32 && bytes <= 4) {
    const container = readNumber(field.offset, bytes, bigEndian);
    if (aligned) return container;
    const mask = 2 ** field.bits - 1;
    return `((${container} >>> ${field.bit}) & 0x${mask.toString(16)})`;
  }
  const reader = bigEndian ? 'readUintBE' : 'readUintLE';
  const container = aligned && bytes === 8 && !bigEndian ? `readU64LE(b, ${position})` : `${reader}(b, ${position}, ${bytes})`;
  const value = aligned ? container : `((${container} >> ${field.bit}n) & 0x${((1n << BigInt(field.bits)) - 1n).toString(16)}n)`;
  return field.bits <= 32 ? `Number(${value})` : value;
}

/** Statements that write integer-like `value` (an expression) into `t` at base `o`. */
export function writeField(field: FieldModel, value: string, bigEndian: boolean): string[] {
  const position = `o + ${field.offset}`;
  const bytes = containerBytes(field);
  if (field.type === 'bool') {
    return [`t[${position}] = ${value} ? t[${position}]! | ${1 << field.bit} : t[${position}]! & ${0xff ^ (1 << field.bit)};`];
  }
  const aligned = field.bit === 0 && field.bits === bytes * 8;
  if (field.bits <= 32 && bytes <= 4) {
    const lines: string[] = [];
    let word = value;
    if (!aligned) {
      const mask = 2 ** field.bits - 1;
      const placed = (mask * 2 ** field.bit) >>> 0;
      lines.push(`{ const c = ${readNumber(field.offset, bytes, bigEndian, 't')};`);
      lines.push(`  const w = ((c & ~0x${placed.toString(16)}) | ((${value} & 0x${mask.toString(16)}) << ${field.bit})) >>> 0;`);
      word = 'w';
    }
    for (let index = 0; index < bytes; index++) {
      const shift = bigEndian ? (bytes - 1 - index) * 8 : index * 8;
      const part = shift === 0 ? `${word} & 0xff` : `(${word} >>> ${shift}) & 0xff`;
      lines.push(`${aligned ? '' : '  '}t[o + ${field.offset + index}] = ${part};`);
    }
    if (!aligned) lines.push('}');
    return lines;
  }
  const writer = bigEndian ? 'writeUintBE' : 'writeUintLE';
  const reader = bigEndian ? 'readUintBE' : 'readUintLE';
  const big = field.bits <= 32 ? `BigInt(${value})` : value;
  if (aligned) return [`${writer}(t, ${position}, ${bytes}, ${big});`];
  const mask = (1n << BigInt(field.bits)) - 1n;
  return [
    `${writer}(t, ${position}, ${bytes}, (${reader}(t, ${position}, ${bytes}) & ~0x${(mask << BigInt(field.bit)).toString(16)}n) | ((${big} & 0x${mask.toString(16)}n) << ${field.bit}n));`,
  ];
}
