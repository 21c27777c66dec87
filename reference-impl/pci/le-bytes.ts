/**
 * Little-endian reads and writes of 1-, 2- and 4-byte values in byte arrays, the access widths of
 * PCI configuration and BAR cycles. Missing bytes read 0 and writes past the end are dropped, so a
 * short buffer never throws.
 */

/** Width of one configuration-space or BAR access, in bytes. */
export type AccessWidth = 1 | 2 | 4;

/** True when `width` is one of the access widths PCI cycles use. */
export function isAccessWidth(width: number): width is AccessWidth {
  return width === 1 || width === 2 || width === 4;
}

/** Mask of the bits a value of `width` bytes can hold. */
export function widthMask(width: AccessWidth): number {
  return width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
}

/** Reads an unsigned little-endian value of `width` bytes. */
export function readLe(bytes: Uint8Array, offset: number, width: AccessWidth): number {
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + (bytes[offset + i] ?? 0);
  return value;
}

/** Writes the low `width` bytes of `value`, little-endian. */
export function writeLe(bytes: Uint8Array, offset: number, width: AccessWidth, value: number): void {
  for (let i = 0; i < width; i++) {
    const index = offset + i;
    if (index >= 0 && index < bytes.length) bytes[index] = (value >>> (8 * i)) & 0xff;
  }
}

/** Little-endian 32-bit read. */
export function readLe32(bytes: Uint8Array, offset: number): number {
  return readLe(bytes, offset, 4);
}

/** Little-endian 32-bit write. */
export function writeLe32(bytes: Uint8Array, offset: number, value: number): void {
  writeLe(bytes, offset, 4, value);
}
