/** Bytes per hex line, as lspci prints them. */
const BYTES_PER_LINE = 16;

/** A configuration space and the address it is listed under. */
export interface ListedConfigSpace {
  /** `bb:dd.f`, or with a domain. */
  address: string;
  bytes: Uint8Array;
  description?: string;
}

/**
 * Writes config spaces in `lspci -xxx` (256 bytes) / `-xxxx` (4096 bytes) text form, one device per
 * block, blank line between, which both `lspci -F` and the xvc dump reader take.
 */
export function formatLspciHex(devices: readonly ListedConfigSpace[]): string {
  const parts: string[] = [];
  for (const device of devices) {
    const lines = [`${device.address} ${device.description ?? 'Device'}`];
    for (let offset = 0; offset < device.bytes.length; offset += BYTES_PER_LINE) {
      const row: string[] = [];
      for (let i = offset; i < Math.min(offset + BYTES_PER_LINE, device.bytes.length); i++) row.push(device.bytes[i]!.toString(16).padStart(2, '0'));
      lines.push(`${offset.toString(16).padStart(2, '0')}: ${row.join(' ')}`);
    }
    parts.push(`${lines.join('\n')}\n`);
  }
  return parts.join('\n');
}

/** The `index`-th address of a batch: distinct for up to 65,536 devices (bus, device, function). */
export function batchAddress(index: number): string {
  const bus = (index >> 8) & 0xff;
  const device = (index >> 3) & 0x1f;
  const fn = index & 0x7;
  return `${bus.toString(16).padStart(2, '0')}:${device.toString(16).padStart(2, '0')}.${fn}`;
}
