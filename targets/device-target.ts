import { XvcError } from '../core/xvc-error.ts';
import type { TargetMetadata } from './target-metadata.ts';

/** Width of one config-space or BAR access, in bytes. */
export type AccessWidth = 1 | 2 | 4;

/**
 * One PCI function as a device suite sees it. Static checks need only `snapshot()`; live checks
 * (reset, feature negotiation, the PCI_CFG window) need `live` and the write/BAR methods.
 */
export interface PciFunction {
  /** Stable identifier within the target, e.g. `0000:00:03.0`, or a file name for a raw dump. */
  readonly id: string;
  /** Untrusted description (lspci text after the address, QEMU device name); render as text only. */
  readonly description?: string;
  /** True when reads may have effects and writes are honoured (reference model, QEMU, exec). */
  readonly live: boolean;
  /** Size of the config space the target can serve: 256 or 4096, or fewer bytes for a truncated dump. */
  readonly configSize: number;
  /** Whether the dump was cut short (fewer bytes than a full 256/4096 space). */
  readonly truncated: boolean;
  /**
   * What the reader of the target's input found wrong with this function's data (a dump cut short,
   * an address seen twice); absent or empty when nothing. Every result of the function records them.
   */
  readonly readProblems?: readonly FunctionReadProblem[];
  /** The config bytes as currently visible (reads of RO registers only; no side effects). */
  snapshot(): Promise<Uint8Array>;
  readConfig(offset: number, width: AccessWidth): Promise<number>;
  /** Absent on read-only targets (dumps). */
  writeConfig?(offset: number, width: AccessWidth, value: number): Promise<void>;
  /** BAR access for live targets; `bar` is the BAR index 0..5, offset within it. */
  readBar?(bar: number, offset: number, width: AccessWidth): Promise<number>;
  writeBar?(bar: number, offset: number, width: AccessWidth, value: number): Promise<void>;
  /** Size in bytes of each BAR (0 = not implemented), when the target knows it. */
  barSizes?(): Promise<number[]>;
}

/** A problem found while reading one function's data, as its results record it. */
export interface FunctionReadProblem {
  /** Catalogue code (`XVC3108`). */
  readonly code: string;
  /** Where and what: `file:line:column: severity: message`, naming the device and the offset for bytes. */
  readonly located: string;
  /** Bytes of the function are not in the data: no check can judge them, so no pass stands. */
  readonly bytesMissing: boolean;
}

/** A device target: a source of PCI functions (one QEMU device, a dump with many, an adapter). */
export interface DeviceTarget {
  readonly metadata: TargetMetadata;
  functions(): Promise<PciFunction[]>;
  /** Releases processes and files; idempotent. */
  close(): Promise<void>;
}

/** Catalogue entries (core/diagnostics.ts, XVC400x) a {@link TargetError} can name. */
export type TargetErrorKind = 'targetCrashed' | 'targetTimeout' | 'targetProtocol' | 'targetUnavailable' | 'targetInput' | 'targetRole';

/** What a {@link TargetError} knows besides its message: the target's stderr, where in its input. */
export interface TargetErrorDetails {
  stderr?: string;
  file?: string;
  line?: number;
  column?: number;
  offset?: number;
}

/**
 * Thrown by targets when the implementation misbehaves (crash, timeout, garbage): a harness error;
 * or, with `targetRole`, when an adapter implements the other role than the one asked for (the
 * suites of that role do not apply to it). Its `code` is what results record as harness evidence.
 */
export class TargetError extends XvcError<TargetErrorKind, TargetErrorDetails> {
  constructor(kind: TargetErrorKind, message: string, details: TargetErrorDetails = {}) {
    super(kind, message, details);
  }
}
