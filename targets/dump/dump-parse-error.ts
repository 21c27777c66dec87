/** Stable codes of the problems a dump file can have. */
export type DumpParseErrorCode =
  /** The file could not be read (missing, permission, not a regular file). */
  | 'unreadable-file'
  /** A line that is neither a device address, a hex line, a comment nor indented decoded text. */
  | 'unrecognised-line'
  /** A hex line whose bytes are not two-digit hex values separated by single spaces, or more than 16 of them. */
  | 'malformed-hex-line'
  /** A hex line before any device address line (or after the blank line that ended a device). */
  | 'data-without-device'
  /** A hex line whose offset does not continue where the previous line of the device stopped. */
  | 'unexpected-offset'
  /** Bytes beyond the 4096-byte PCI Express configuration space. */
  | 'too-many-bytes'
  /** A device address line with no hex data under it. */
  | 'no-config-bytes'
  /** Fewer bytes than a complete 64-, 256- or 4096-byte dump: the device is exposed with what there is. */
  | 'truncated'
  /** The same address twice in one file; the second copy gets a suffixed id. */
  | 'duplicate-address'
  /** A raw binary whose size is not 256 or 4096 bytes. */
  | 'binary-size'
  /** A file with no device at all. */
  | 'no-devices';

/** `error`: the input is malformed (exit code 2). `warning`: usable, but not what a complete dump looks like. */
export type DumpProblemSeverity = 'error' | 'warning';

/**
 * One problem found while reading a dump, located by file, line and column (1-based; line 0 for
 * binary files and whole-file problems). Collected, never thrown: one bad device does not lose the others.
 */
export class DumpParseError extends Error {
  constructor(
    readonly code: DumpParseErrorCode,
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly severity: DumpProblemSeverity = 'error',
    /** Address of the device the problem belongs to, when there is one. */
    readonly device?: string,
  ) {
    super(message);
    this.name = 'DumpParseError';
  }

  /** `file:line:column: message`, the form editors and CI logs recognise. */
  get located(): string {
    return `${this.file}:${this.line}:${this.column}: ${this.severity}: ${this.message}`;
  }

  /** Plain data for JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      severity: this.severity,
      message: this.message,
      file: this.file,
      line: this.line,
      column: this.column,
      ...(this.device === undefined ? {} : { device: this.device }),
    };
  }
}
