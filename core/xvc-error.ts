/**
 * The one base class of every error xvc throws. An error names its entry of the catalogue
 * (core/diagnostics.ts), which gives it a stable `code` and a `category`; the category alone decides
 * the exit code. What a program needs to act on is in structured `details`, never only in the message.
 */
import { categoryExitCodes, diagnostics, type CategoryOf, type CodeOf, type DiagnosticName, type ErrorExitCode } from './diagnostics.ts';

/** Structured fields of an error: plain data a caller or a JSON report can use. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * An error of the catalogue. Subclasses keep their own structured fields as properties and pass them
 * as `details` too, so code that knows only XvcError can still report them.
 */
export class XvcError<N extends DiagnosticName = DiagnosticName, D extends object = ErrorDetails> extends Error {
  /** The catalogue entry's name, e.g. `targetCrashed`. */
  readonly diagnostic: N;
  /** The catalogue code, e.g. `XVC4001`. */
  readonly code: CodeOf<N>;
  readonly category: CategoryOf<N>;
  readonly details: Readonly<D>;

  constructor(diagnostic: N, message: string, details: D, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.diagnostic = diagnostic;
    this.code = diagnostics[diagnostic].code;
    this.category = diagnostics[diagnostic].category;
    this.details = details;
  }

  /** The exit code of `xvc` when a command stops on this error. */
  get exitCode(): ErrorExitCode {
    return categoryExitCodes[this.category];
  }
}

/** Whether `value` is an error of the catalogue. */
export function isXvcError(value: unknown): value is XvcError {
  return value instanceof XvcError;
}

/**
 * The exit code for an error that stopped a command: its category's for a catalogued error, the
 * internal category's for anything else (an uncaught bug).
 */
export function exitCodeOfError(error: unknown): ErrorExitCode {
  return isXvcError(error) ? error.exitCode : categoryExitCodes.internal;
}

/** One line for a terminal: `XVC2003 --seed must be ...`, the code first as in a spec problem. */
export function formatXvcError(error: XvcError): string {
  return `${error.code} ${error.message}`;
}
