import type { Evidence } from '../../generated/ts/schema/results.ts';
import type { TargetMetadata } from '../../targets/target-metadata.ts';

/**
 * What a conformance test leaves on its vitest task for the run's reporter: which requirements and
 * which target it judged, and the evidence when it failed. Task meta is serialised from the worker
 * to the main process, so everything here is plain JSON.
 */

/**
 * Evidence of a failure, a discriminated union on `kind`: the result model's own type, so what a
 * test records is exactly what results.json stores.
 */
export type { Evidence };

/** Outcome a test may claim for itself instead of plain pass/fail. */
export type ClaimedOutcome = 'inapplicable' | 'skip' | 'warning' | 'error' | 'xfail';

/** The meta a conformance test sets. */
export interface ConformanceMeta {
  requirements?: string[];
  target?: string;
  /**
   * What the target said about itself (implementation, version, command line). Only the worker that
   * opened the target knows it (a QEMU's version), so tests pass it to the run this way.
   */
  targetMetadata?: TargetMetadata;
  suite?: string;
  evidence?: Evidence[];
  outcome?: ClaimedOutcome;
  /** Why the test is inapplicable or errored. */
  note?: string;
  /** For mechanism suites: the matrix cell this test fills. */
  mechanism?: string;
  property?: string;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface TaskMeta extends ConformanceMeta {}
}
