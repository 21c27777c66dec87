import { DumpParseError } from './dump-parse-error.ts';
import { isFullConfigSize, type ParsedDumpDevice } from './parsed-dump-device.ts';

/** What a text dump yields: every device that could be read, and every problem, located. */
export interface LspciTextParse {
  devices: ParsedDumpDevice[];
  problems: DumpParseError[];
}

/** The most bytes one function can have (PCI Express configuration space). */
const MAX_CONFIG_BYTES = 4096;
/** Conventional PCI configuration space, the size most dumps have. */
const CONVENTIONAL_CONFIG_BYTES = 256;
/** lspci prints 16 bytes per hex line. */
const BYTES_PER_LINE = 16;
/** `-x` prints the standard header only: partial by design, but what follows it is no more there. */
const STANDARD_HEADER_DUMP_BYTES = 64;

// `[domain:]bus:device.function`, then the description. lspci accepts 4- or 5-digit domains.
const ADDRESS_LINE = /^(?:([0-9a-fA-F]{4,5}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])(?:[ \t]+(.*))?$/;

interface DeviceUnderConstruction {
  address: string;
  description?: string;
  line: number;
  bytes: Uint8Array;
  length: number;
  /** After an offset error the rest of the device's data is not trusted to line up. */
  broken: boolean;
}

/**
 * Parses `lspci -x`, `-xxx` or `-xxxx` text (also `-vvv -xxx`, whose indented decoded lines are
 * skipped, and the pciutils test-file form with `#` comment lines). Never throws.
 * @param text file contents
 * @param file name used in the problems' locations
 */
export function parseLspciText(text: string, file: string): LspciTextParse {
  // Text that fits in one byte per character is the file's latin1 bytes, as the loader reads them;
  // other text is parsed as its UTF-8 encoding, which keeps every character of a description.
  return /[^\u0000-\u00ff]/.test(text) ? parseLspciBytes(Buffer.from(text, 'utf8'), file, 'utf8') : parseLspciBytes(Buffer.from(text, 'latin1'), file);
}

/**
 * Reads `lspci -x`/`-xxx`/`-xxxx` text in pieces as they come: complete lines are read at once, in
 * place in the piece's bytes, and a line cut by the end of a piece waits for the next. So a 30 MB
 * dump of 12,000 devices is neither held whole nor split into line strings; only address lines and
 * problems become strings.
 */
export class LspciTextReader {
  private readonly devices: ParsedDumpDevice[] = [];
  private readonly problems: DumpParseError[] = [];
  private readonly seen = new Map<string, number>();
  private current: DeviceUnderConstruction | undefined;
  private lineNumber = 0;
  /** The start of a line the previous piece ended in the middle of. */
  private carry: Buffer | undefined;

  /**
   * @param file name used in the problems' locations
   * @param encoding how address lines and problem excerpts are decoded (latin1: every byte is one character)
   */
  constructor(
    private readonly file: string,
    private readonly encoding: 'latin1' | 'utf8' = 'latin1',
  ) {}

  /** Reads the complete lines of the next piece of the text. */
  push(piece: Uint8Array): void {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    if (this.carry !== undefined && this.carry.length > 0) {
      // Only the cut line is joined, so the piece is never copied.
      const newline = buffer.indexOf(0x0a);
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, buffer]);
        return;
      }
      const joined = Buffer.concat([this.carry, buffer.subarray(0, newline)]);
      this.line(joined, 0, joined.length);
      start = newline + 1;
    }
    for (let newline = buffer.indexOf(0x0a, start); newline >= 0; newline = buffer.indexOf(0x0a, start)) {
      this.line(buffer, start, newline);
      start = newline + 1;
    }
    // A copy: the piece's memory may be reused for the next piece (and is not kept alive by its last bytes).
    this.carry = Buffer.from(buffer.subarray(start));
  }

  /** Reads what is left (a last line without a newline) and returns everything read. */
  end(): LspciTextParse {
    const rest = this.carry ?? Buffer.alloc(0);
    this.carry = undefined;
    this.line(rest, 0, rest.length);
    this.finish();
    return { devices: this.devices, problems: this.problems };
  }

  private textOf(buffer: Buffer, from: number, to: number): string {
    return buffer.toString(this.encoding, from, to);
  }

  /** Ends the device being read, if any. */
  private finish(): void {
    if (this.current === undefined) return;
    const device = this.current;
    this.current = undefined;
    if (device.length === 0) {
      if (device.broken) return; // its error is already reported
      this.problems.push(
        new DumpParseError('dumpNoConfigBytes', `device ${device.address} has no hex configuration data`, this.file, device.line, 1, 'error', device.address),
      );
      return;
    }
    const truncated = !isFullConfigSize(device.length);
    // A device cut short by an error already has its problem; a second one would be noise. A header-only
    // (-x) dump is meant that way, but its capabilities are as absent as a cut dump's, so it says so too.
    if (truncated && !device.broken) {
      const why =
        device.length === STANDARD_HEADER_DUMP_BYTES
          ? `dump holds only the 64-byte standard header (what lspci -x prints; -xxx prints 256 bytes, -xxxx 4096)`
          : `dump holds ${device.length} bytes, not a full 256- or 4096-byte configuration space`;
      this.problems.push(
        new DumpParseError(
          'dumpTruncated',
          `device ${device.address}: ${why}: its data ends at offset 0x${device.length.toString(16)}, and nothing from there on can be read or judged`,
          this.file,
          device.line,
          1,
          'warning',
          device.address,
        ),
      );
    }
    this.devices.push({
      address: device.address,
      fileAddress: device.address,
      ...(device.description === undefined ? {} : { description: device.description }),
      file: this.file,
      line: device.line,
      bytes: device.bytes.length === device.length ? device.bytes : device.bytes.slice(0, device.length),
      truncated,
    });
  }

  /** Reads the line of `buffer` from `lineStart` to `lineEnd` (its newline excluded). */
  private line(buffer: Buffer, lineStart: number, lineEnd: number): void {
    this.lineNumber++;
    const lineNumber = this.lineNumber;
    let end = lineEnd;
    if (end > lineStart && buffer[end - 1] === 0x0d) end--;
    const first = end > lineStart ? buffer[lineStart]! : -1;
    if (first === -1 || ((first === 0x20 || first === 0x09) && isBlank(buffer, lineStart, end))) {
      // A blank line ends the device, as in lspci's own dump reader.
      this.finish();
      return;
    }
    if (first === 0x23 /* # */ || first === 0x20 || first === 0x09) return; // comment, or indented decoded text

    // Hex lines are nearly all of a dump: recognise them without a regular expression.
    const colon = hexPrefixLength(buffer, lineStart, end);
    const isHexLine = colon >= 2 && colon <= 8 && (end === lineStart + colon + 1 || buffer[lineStart + colon + 1] === 0x20);
    const line = isHexLine ? '' : this.textOf(buffer, lineStart, end);
    const address = isHexLine ? null : ADDRESS_LINE.exec(line);
    if (address) {
      this.finish();
      const [, domain, bus, dev, fn, description] = address;
      let normalised = `${(domain ?? '0000').toLowerCase().padStart(4, '0')}:${bus!.toLowerCase()}:${dev!.toLowerCase()}.${fn}`;
      const count = (this.seen.get(normalised) ?? 0) + 1;
      this.seen.set(normalised, count);
      if (count > 1) {
        // The problem belongs to the copy it names, so it travels with that copy's results.
        const copy = `${normalised}#${count}`;
        this.problems.push(new DumpParseError('dumpDuplicateAddress', `address ${normalised} appears ${count} times; this copy is ${copy}`, this.file, lineNumber, 1, 'warning', copy));
        normalised = copy;
      }
      const trimmed = description?.trim();
      this.current = { address: normalised, line: lineNumber, bytes: new Uint8Array(CONVENTIONAL_CONFIG_BYTES), length: 0, broken: false, ...(trimmed ? { description: trimmed } : {}) };
      return;
    }

    if (!isHexLine) {
      this.problems.push(new DumpParseError('dumpUnrecognisedLine', `not a device address, hex line, comment or indented text: ${JSON.stringify(line.slice(0, 40))}`, this.file, lineNumber, 1));
      return;
    }
    if (this.current === undefined) {
      this.problems.push(new DumpParseError('dumpDataWithoutDevice', 'hex data outside a device (no address line before it, or a blank line in between)', this.file, lineNumber, 1));
      return;
    }
    let offset = 0;
    for (let i = lineStart; i < lineStart + colon; i++) offset = offset * 16 + hexDigit(buffer[i]!);
    const parsed = parseHexBytes(buffer, lineStart, lineStart + colon + 1, end);
    if (parsed < 0) {
      this.problems.push(new DumpParseError('dumpMalformedHexLine', `expected up to ${BYTES_PER_LINE} two-digit hex bytes separated by single spaces`, this.file, lineNumber, -parsed, 'error', this.current.address));
      this.current.broken = true;
      return;
    }
    if (this.current.broken) return;
    if (offset !== this.current.length) {
      this.problems.push(
        new DumpParseError(
          'dumpUnexpectedOffset',
          `hex line at offset 0x${this.textOf(buffer, lineStart, lineStart + colon)} but the device's data so far ends at 0x${this.current.length.toString(16)}; the rest of this device is ignored`,
          this.file,
          lineNumber,
          1,
          'error',
          this.current.address,
        ),
      );
      this.current.broken = true;
      return;
    }
    let count = parsed;
    if (offset + count > MAX_CONFIG_BYTES) {
      this.problems.push(new DumpParseError('dumpTooManyBytes', `bytes past offset 0x${MAX_CONFIG_BYTES.toString(16)} (the end of a PCI Express configuration space)`, this.file, lineNumber, 1, 'error', this.current.address));
      count = Math.max(0, MAX_CONFIG_BYTES - offset);
      this.current.broken = true;
    }
    if (offset + count > this.current.bytes.length) {
      // Most dumps are 256 bytes; only -xxxx dumps need the 4 KiB buffer.
      const grown = new Uint8Array(MAX_CONFIG_BYTES);
      grown.set(this.current.bytes.subarray(0, this.current.length));
      this.current.bytes = grown;
    }
    // A loop rather than set(scratch.subarray(...)): no view object per line.
    const target = this.current.bytes;
    for (let i = 0; i < count; i++) target[offset + i] = scratch[i]!;
    this.current.length = offset + count;
  }
}

/**
 * {@link parseLspciText} on the bytes of a file, read in place (see {@link LspciTextReader}). Never throws.
 * @param bytes file contents
 * @param file name used in the problems' locations
 * @param encoding how address lines and problem excerpts are decoded (latin1: every byte is one character)
 */
export function parseLspciBytes(bytes: Uint8Array, file: string, encoding: 'latin1' | 'utf8' = 'latin1'): LspciTextParse {
  const reader = new LspciTextReader(file, encoding);
  reader.push(bytes);
  return reader.end();
}

/** The bytes of the hex line being read (one line holds at most 16). */
const scratch = new Uint8Array(BYTES_PER_LINE);

/** Whether the line holds only characters String.prototype.trim removes (in latin1: TAB, LF, VT, FF, CR, space, NBSP). */
function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = bytes[i]!;
    if (!((code >= 0x09 && code <= 0x0d) || code === 0x20 || code === 0xa0)) return false;
  }
  return true;
}

/** Number of hex digits before a colon at the start of the line, or -1 when it does not start so. */
function hexPrefixLength(bytes: Uint8Array, start: number, end: number): number {
  const limit = Math.min(end, start + 9);
  for (let i = start; i < limit; i++) {
    const code = bytes[i]!;
    if (code === 0x3a /* : */) return i - start;
    if (hexDigit(code) < 0) return -1;
  }
  return -1;
}

/**
 * Reads ` xx xx ...` from the line starting at `from` (just after the colon) into `scratch`. Returns the
 * number of bytes, or minus the 1-based column of the first character that does not fit.
 */
function parseHexBytes(bytes: Uint8Array, lineStart: number, from: number, lineEnd: number): number {
  let count = 0;
  let position = from;
  let end = lineEnd;
  while (end > from && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  while (position < end) {
    if (bytes[position] !== 0x20) return -(position - lineStart + 1);
    // Past the trimmed end reads as -1: no hex digit, as the trailing blanks themselves are not.
    const high = position + 1 < end ? hexDigit(bytes[position + 1]!) : -1;
    const low = position + 2 < end ? hexDigit(bytes[position + 2]!) : -1;
    if (high < 0) return -(position - lineStart + 2);
    if (low < 0) return -(position - lineStart + 3);
    if (position + 3 < end && bytes[position + 3] !== 0x20) return -(position - lineStart + 4);
    if (count === BYTES_PER_LINE) return -(position - lineStart + 2);
    scratch[count++] = (high << 4) | low;
    position += 3;
  }
  return count;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}
