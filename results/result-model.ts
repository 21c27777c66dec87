/**
 * The result model every report is rendered from. Its shapes are defined once, by
 * `spec/schema/results.schema.json`; the types below are the ones `npm run generate` emits from it
 * (generated/ts/schema/results.ts), re-exported with the constants the code needs.
 *
 * Strings that come from targets (implementation names, descriptions, messages, evidence) are
 * untrusted: writers escape them and never interpret them.
 */
import type { Outcome, RunResults } from '../generated/ts/schema/results.ts';

export type {
  AppliedExpectation,
  BytesEvidence,
  CounterexampleEvidence,
  Evidence,
  ExpectationEntryRef,
  ExpectationsReport,
  HarnessEvidence,
  MatrixCell,
  MatrixMechanism,
  MatrixProperty,
  MechanismMatrix,
  MechanismStaticFacts,
  Outcome,
  ResultRecord,
  RunMetadata,
  RunResults,
  ShardProvenance,
  ShardRef,
  TargetMetadata,
  TextEvidence,
} from '../generated/ts/schema/results.ts';

/** Version tag of the results format, written into every results file. */
export const resultsFormat: RunResults['format'] = 'xvc-results/1';

/** Every outcome, in the order reports list them (worst first). */
export const outcomes: readonly Outcome[] = ['error', 'fail', 'xpass', 'warning', 'xfail', 'pass', 'skip', 'inapplicable'];
