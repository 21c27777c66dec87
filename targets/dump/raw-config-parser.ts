import { DumpParseError } from './dump-parse-error.ts';
import { isFullConfigSize, type ParsedDumpDevice } from './parsed-dump-device.ts';
import type { LspciTextParse } from './lspci-text-parser.ts';

const MAX_CONFIG_BYTES = 4096;

/**
 * Reads a raw configuration-space binary (`/sys/bus/pci/devices/X/config`): 256 or 4096 bytes. Other sizes
 * are kept as far as they go (truncated) or cut at 4096, with a located problem. Never throws.
 * @param bytes file contents
 * @param file file name, which is also the device's address (a binary carries no address)
 */
export function parseRawConfig(bytes: Uint8Array, file: string): LspciTextParse {
  const problems: DumpParseError[] = [];
  if (bytes.length === 0) {
    problems.push(new DumpParseError('no-devices', 'empty file', file, 0, 0));
    return { devices: [], problems };
  }
  let length = bytes.length;
  if (length > MAX_CONFIG_BYTES) {
    problems.push(new DumpParseError('binary-size', `${length} bytes: more than a 4096-byte configuration space; only the first 4096 are used`, file, 0, 0));
    length = MAX_CONFIG_BYTES;
  } else if (!isFullConfigSize(length)) {
    problems.push(new DumpParseError('truncated', `${length} bytes: not a full 256- or 4096-byte configuration space; checked as far as it goes`, file, 0, 0, 'warning', file));
  }
  const device: ParsedDumpDevice = { address: file, fileAddress: file, file, line: 0, bytes: bytes.slice(0, length), truncated: !isFullConfigSize(length) };
  return { devices: [device], problems };
}

/**
 * Whether a file's bytes are lspci text rather than a binary: text has no NUL byte, while a real
 * configuration space almost always holds many (reserved and unimplemented registers read as 0). Other
 * control bytes do not decide it: an untrusted description may contain escape sequences.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 65536).indexOf(0) < 0;
}
