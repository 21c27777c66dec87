import { XvcError } from '../../core/xvc-error.ts';

/** The problems a dump file can have: their catalogue entries (core/diagnostics.ts, XVC31xx). */
export type DumpProblem =
  /** The file could not be read (missing, permission, not a regular file). */
  | 'dumpUnreadableFile'
  /** A line that is neither a device address, a hex line, a comment nor indented decoded text. */
  | 'dumpUnrecognisedLine'
  /** A hex line whose bytes are not two-digit hex values separated by single spaces, or more than 16 of them. */
  | 'dumpMalformedHexLine'
  /** A hex line before any device address line (or after the blank line that ended a device). */
  | 'dumpDataWithoutDevice'
  /** A hex line whose offset does not continue where the previous line of the device stopped. */
  | 'dumpUnexpectedOffset'
  /** Bytes beyond the 4096-byte PCI Express configuration space. */
  | 'dumpTooManyBytes'
  /** A device address line with no hex data under it. */
  | 'dumpNoConfigBytes'
  /** Fewer bytes than a complete 64-, 256- or 4096-byte dump: the device is exposed with what there is. */
  | 'dumpTruncated'
  /** The same address twice in one file; the second copy gets a suffixed id. */
  | 'dumpDuplicateAddress'
  /** A raw binary whose size is not 256 or 4096 bytes. */
  | 'dumpBinarySize'
  /** A file with no device at all. */
  | 'dumpNoDevices';

/** `error`: the input is malformed (exit code 2). `warning`: usable, but not what a complete dump looks like. */
export type DumpProblemSeverity = 'error' | 'warning';

/**
 * One problem found while reading a dump, located by file, line and column (1-based; line 0 for
 * binary files and whole-file problems). Collected, never thrown: one bad device does not lose the others.
 */
export class DumpParseError extends XvcError<DumpProblem> {
  constructor(
    problem: DumpProblem,
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly severity: DumpProblemSeverity = 'error',
    /** Address of the device the problem belongs to, when there is one. */
    readonly device?: string,
  ) {
    super(problem, message, { file, line, column, severity, ...(device === undefined ? {} : { device }) });
  }

  /**
   * The device's data ends before a full configuration space: bytes that are not there cannot be
   * judged, so no check's pass stands on them (a run records a harness error instead).
   */
  get bytesMissing(): boolean {
    return this.diagnostic === 'dumpTruncated';
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
