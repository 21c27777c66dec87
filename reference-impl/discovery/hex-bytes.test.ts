import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { bytesToHex, hexToBytes } from './hex-bytes.ts';

describe('scenario hex bytes', () => {
  it('encode lowest address first, two lower-case digits per byte', () => {
    expect(bytesToHex(new Uint8Array([0x09, 0xab, 0x00]))).toBe('09ab00');
    expect(bytesToHex(new Uint8Array([1, 2, 3, 4]).subarray(1, 3))).toBe('0203');
  });

  it('decode either case, and refuse odd lengths and non-hex digits', () => {
    expect([...hexToBytes('09AbFf')!]).toEqual([0x09, 0xab, 0xff]);
    expect(hexToBytes('')).toEqual(new Uint8Array());
    expect([hexToBytes('abc'), hexToBytes('zz'), hexToBytes('0x10'), hexToBytes('1 2 ')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('give back the bytes they encoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
      propertyParameters(),
    );
  });
});
