import { describe, expect, it } from 'vitest';
import { isAccessWidth, readLe, readLe32, widthMask, writeLe, writeLe32 } from './le-bytes.ts';

describe('little-endian access', () => {
  it('knows the widths PCI cycles use and their masks', () => {
    expect([0, 1, 2, 3, 4, 8].map(isAccessWidth)).toEqual([false, true, true, false, true, false]);
    expect([widthMask(1), widthMask(2), widthMask(4)]).toEqual([0xff, 0xffff, 0xffffffff]);
  });

  it('reads and writes 1, 2 and 4 bytes lowest byte first, unsigned', () => {
    const bytes = new Uint8Array([0x78, 0x56, 0x34, 0xf2, 0xaa]);
    expect([readLe(bytes, 0, 1), readLe(bytes, 0, 2), readLe32(bytes, 0), readLe(bytes, 3, 2)]).toEqual([0x78, 0x5678, 0xf2345678, 0xaaf2]);
    const target = new Uint8Array(6);
    writeLe(target, 1, 2, 0xbeef);
    writeLe32(target, 2, 0x12345678);
    expect([...target]).toEqual([0, 0xef, 0x78, 0x56, 0x34, 0x12]);
  });

  it('reads missing bytes as 0 and drops writes past either end', () => {
    expect(readLe(new Uint8Array([0x11]), 0, 4)).toBe(0x11);
    const target = new Uint8Array(2);
    writeLe(target, 1, 4, 0xaabbccdd);
    writeLe(target, -1, 2, 0x1122);
    expect([...target]).toEqual([0x11, 0xdd]);
  });
});
