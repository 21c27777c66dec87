/** The scenario's hex-string byte encoding (lowest address first, two digits per byte). */

const hexDigits = /^[0-9a-fA-F]*$/;

/** Decodes an even-length hex string; undefined when it is not one. */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !hexDigits.test(text)) return undefined;
  // Node's hex codec: every scenario a property builds passes through here, so a per-byte
  // parseInt showed up as a fifth of the frontend benchmark.
  const buffer = Buffer.from(text, 'hex');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Encodes bytes as lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
