import { basename, dirname } from 'node:path';
import { PCI_CFG_SPACE_EXP_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_SIZE } from '../../generated/ts/pci/pci-type0-header.ts';
import { DumpParseError } from './dump-parse-error.ts';
import { isFullConfigSize, type ParsedDumpDevice } from './parsed-dump-device.ts';
import type { LspciTextParse } from './lspci-text-parser.ts';

const MAX_CONFIG_BYTES = PCI_CFG_SPACE_EXP_SIZE;

/** Name of the file sysfs gives every PCI function's configuration space (/sys/bus/pci/devices/BDF/config). */
export const SYSFS_CONFIG = 'config';

/**
 * The id of a raw configuration space: its file's name, or, for a sysfs `config` file, the name of
 * its device directory (the BDF: `0000:00:03.0`), which is what names the function.
 */
export function rawFunctionName(file: string): string {
  const name = basename(file);
  const parent = basename(dirname(file));
  return name === SYSFS_CONFIG && parent !== '' && parent !== '.' && parent !== '/' ? parent : name;
}

/**
 * Reads a raw configuration-space binary (`/sys/bus/pci/devices/X/config`): 256 or 4096 bytes. Other sizes
 * are kept as far as they go (truncated, a warning) or cut at 4096 (an error). Fewer bytes than the
 * 64-byte standard header, which every read of a config file returns, is not a configuration space at
 * all: an error, and no device. Never throws.
 * @param bytes file contents
 * @param file file name; the device's address is {@link rawFunctionName} of it (a binary carries no address)
 */
export function parseRawConfig(bytes: Uint8Array, file: string): LspciTextParse {
  const problems: DumpParseError[] = [];
  if (bytes.length === 0) {
    problems.push(new DumpParseError('dumpNoDevices', 'empty file', file, 0, 0));
    return { devices: [], problems };
  }
  let length = bytes.length;
  if (length < PCI_TYPE0_HEADER_SIZE) {
    problems.push(new DumpParseError('dumpBinarySize', `${length} bytes: fewer than the ${PCI_TYPE0_HEADER_SIZE}-byte standard header, so not a configuration space`, file, 0, 0));
    return { devices: [], problems };
  }
  if (length > MAX_CONFIG_BYTES) {
    problems.push(new DumpParseError('dumpBinarySize', `${length} bytes: more than a 4096-byte configuration space; only the first 4096 are used`, file, 0, 0));
    length = MAX_CONFIG_BYTES;
  } else if (!isFullConfigSize(length)) {
    // Named by device and by the offset where the bytes end: a capability at or past it cannot be read.
    const message = `device ${rawFunctionName(file)}: ${length} bytes, not a full 256- or 4096-byte configuration space: its data ends at offset 0x${length.toString(16)}, and nothing from there on can be read or judged`;
    problems.push(new DumpParseError('dumpTruncated', message, file, 0, 0, 'warning', file));
  }
  const device: ParsedDumpDevice = { address: rawFunctionName(file), fileAddress: file, file, line: 0, bytes: bytes.slice(0, length), truncated: !isFullConfigSize(length) };
  return { devices: [device], problems };
}

/** How a dump file's bytes are read. */
export type DumpKind = 'text' | 'binary';

/**
 * Whether a file's bytes are lspci text or a raw configuration space, by content alone:
 * - a NUL byte in the first 64 KiB: binary (text has none; a real configuration space has many);
 * - otherwise text when its first line that is not blank or a `#` comment starts the way every
 *   lspci line that can come first does: ASCII hex digits and a colon (`00:03.0 ...`,
 *   `0000:00:03.0 ...`, or a hex offset line `00: ...`);
 * - otherwise text when it is plain text (valid UTF-8, no control bytes but tab, CR and newline), so
 *   a file of prose is reported line by line as not lspci, rather than served as a short binary;
 * - anything else is binary.
 * So a 256-byte space of all ones (what sysfs reads for a removed device: no NUL, no newline) is a
 * binary, 0xff is never a hex digit. Control bytes later in a text do not decide it: an untrusted
 * description may contain escape sequences.
 */
export function classifyDump(bytes: Uint8Array): DumpKind {
  if (bytes.length === 0) return 'text';
  if (bytes.subarray(0, 65536).indexOf(0) >= 0) return 'binary';
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  // Skip blank lines and comment lines, within the first 64 KiB.
  const limit = Math.min(bytes.length, 65536);
  while (start < limit) {
    const first = bytes[start]!;
    if (first === 0x0a || first === 0x0d || first === 0x20 || first === 0x09) {
      start++;
      continue;
    }
    if (first === 0x23 /* # */) {
      const newline = bytes.indexOf(0x0a, start);
      if (newline < 0 || newline >= limit) return 'text';
      start = newline + 1;
      continue;
    }
    break;
  }
  if (start >= limit) return 'text';
  let digits = 0;
  for (let index = start; index < limit && digits <= 8; index++) {
    const byte = bytes[index]!;
    const hex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
    if (hex) digits++;
    else if (byte === 0x3a /* : */ && digits >= 2) return 'text';
    else break;
  }
  return isPlainText(bytes.subarray(0, limit)) ? 'text' : 'binary';
}

/** Valid UTF-8 with no control bytes other than tab, newline and carriage return. */
function isPlainText(bytes: Uint8Array): boolean {
  for (const byte of bytes) if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return false;
  try {
    // stream: a multi-byte character cut by the 64 KiB window is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Whether a file's bytes are lspci text rather than a binary; see {@link classifyDump}. */
export function looksLikeText(bytes: Uint8Array): boolean {
  return classifyDump(bytes) === 'text';
}
