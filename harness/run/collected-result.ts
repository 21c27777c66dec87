import type { Evidence } from './test-meta.ts';
import type { TargetMetadata } from '../targets/target-metadata.ts';

/** Outcome of one conformance check, as the result model names them. */
export type Outcome = 'pass' | 'fail' | 'skip' | 'inapplicable' | 'error' | 'xfail' | 'xpass';

/** One finished conformance test for one requirement and one target. */
export interface CollectedResult {
  /** Stable id: suite file + full test name + requirement. */
  id: string;
  requirement: string;
  target: string;
  suite: string;
  test: string;
  file: string;
  outcome: Outcome;
  message: string;
  evidence: Evidence[];
  durationMs: number;
  mechanism?: string;
  property?: string;
  targetMetadata?: TargetMetadata;
}
