/** Reads and writes of integer fields, evaluated on bytes written here by hand. */
import { describe, expect, it } from 'vitest';
import { readU64LE, readUintBE, readUintLE, writeUintBE, writeUintLE } from '../../../core/codec-runtime.ts';
import { fieldModel } from '../../../test-support/spec-model-builders.ts';
import type { FieldModel } from '../../model/spec-model.ts';
import { isNumberField, readField, readNumber, writeField } from './expressions.ts';

const runtime = { readU64LE, readUintBE, readUintLE, writeUintBE, writeUintLE };

/** The emitted TypeScript as JavaScript: only its non-null assertions (`b[i]!`) need dropping. */
const js = (source: string): string => source.replace(/\]!/g, ']');

function read(field: FieldModel, bigEndian: boolean, bytes: number[], offset = 0): unknown {
  const evaluate = new Function(...Object.keys(runtime), 'b', 'o', `return ${js(readField(field, bigEndian))};`);
  return evaluate(...Object.values(runtime), new Uint8Array(bytes), offset);
}

function write(field: FieldModel, bigEndian: boolean, value: unknown, initial: number[], offset = 0): number[] {
  const target = new Uint8Array(initial);
  new Function(...Object.keys(runtime), 't', 'o', 'value', js(writeField(field, 'value', bigEndian).join('\n')))(...Object.values(runtime), target, offset, value);
  return [...target];
}

describe('integer reads and writes', () => {
  it('hold fields up to 32 bits in numbers and wider ones in bigints', () => {
    expect(isNumberField(fieldModel({ specName: 'a', offset: 0, bits: 32 }))).toBe(true);
    expect(isNumberField(fieldModel({ specName: 'a', offset: 0, bits: 33 }))).toBe(false);
  });

  it('read little- and big-endian words at an offset, unsigned', () => {
    expect(read(fieldModel({ specName: 'w', offset: 1, bits: 32 }), false, [0, 0x78, 0x56, 0x34, 0xf2], 0)).toBe(0xf2345678);
    expect(read(fieldModel({ specName: 'w', offset: 0, bits: 16 }), true, [0, 0, 0x12, 0x34], 2)).toBe(0x1234);
    expect(readNumber(3, 1, false)).toBe('b[o + 3]!');
  });

  it('read bit fields that cross a byte boundary', () => {
    // Bits 4..15 of a little-endian 16-bit container: 0xabc from bytes 0xc0 0xab.
    expect(read(fieldModel({ specName: 'f', offset: 0, bit: 4, bits: 12 }), false, [0xc5, 0xab])).toBe(0xabc);
    expect(read(fieldModel({ specName: 'b', offset: 0, bit: 7, bits: 1, type: 'bool' }), false, [0x80])).toBe(true);
  });

  it('read 64-bit and odd-width wide fields as bigints', () => {
    expect(read(fieldModel({ specName: 'q', offset: 0, bits: 64 }), false, [1, 2, 3, 4, 5, 6, 7, 0x88])).toBe(0x8807060504030201n);
    expect(read(fieldModel({ specName: 'q', offset: 0, bits: 64 }), true, [1, 2, 3, 4, 5, 6, 7, 0x88])).toBe(0x0102030405060788n);
    expect(read(fieldModel({ specName: 'x', offset: 0, bit: 4, bits: 36 }), false, [0x10, 0x32, 0x54, 0x76, 0x98])).toBe(0x987654321n);
  });

  it('write a field without touching the bits around it', () => {
    expect(write(fieldModel({ specName: 'f', offset: 0, bit: 4, bits: 12 }), false, 0xabc, [0x05, 0x00])).toEqual([0xc5, 0xab]);
    expect(write(fieldModel({ specName: 'b', offset: 1, bit: 2, bits: 1, type: 'bool' }), false, true, [0xff, 0x00])).toEqual([0xff, 0x04]);
    expect(write(fieldModel({ specName: 'b', offset: 0, bit: 2, bits: 1, type: 'bool' }), false, false, [0xff])).toEqual([0xfb]);
    expect(write(fieldModel({ specName: 'x', offset: 0, bit: 4, bits: 36 }), false, 0x987654321n, [0x0f, 0, 0, 0, 0])).toEqual([0x1f, 0x32, 0x54, 0x76, 0x98]);
  });

  it('write little- and big-endian words', () => {
    expect(write(fieldModel({ specName: 'w', offset: 0, bits: 32 }), true, 0x12345678, [0, 0, 0, 0])).toEqual([0x12, 0x34, 0x56, 0x78]);
    expect(write(fieldModel({ specName: 'q', offset: 0, bits: 64 }), false, 0x0102030405060708n, new Array(8).fill(0))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});
