/**
 * The result model every report is rendered from, as TypeScript types. They mirror
 * `reports/schema/results.schema.json` by hand; `result-model.test.ts` validates typed samples
 * against the schema so that the two cannot drift apart silently.
 *
 * Strings that come from targets (implementation names, descriptions, messages, evidence) are
 * untrusted: writers escape them and never interpret them.
 */

/** Version tag of the results format, written into every results file. */
export const resultsFormat = 'xvc-results/1';

/** Outcome of one conformance check. `xfail`/`xpass` only appear once expectations are applied. */
export type Outcome = 'pass' | 'fail' | 'skip' | 'inapplicable' | 'error' | 'xfail' | 'xpass';

/** Every outcome, in the order reports list them (worst first). */
export const outcomes: readonly Outcome[] = ['error', 'fail', 'xpass', 'xfail', 'pass', 'skip', 'inapplicable'];

/** Who and what a target is (same shape as harness/targets/target-metadata.ts). */
export interface ResultTargetMetadata {
  spec: string;
  kind: 'reference' | 'model' | 'dump' | 'qemu' | 'exec';
  role: 'device' | 'frontend';
  /** Untrusted when the target reports it. */
  implementation: string;
  version?: string;
  capturedBy?: string;
  commandLine?: string[];
  /** Untrusted. */
  description?: string;
}

/** Which part of a sharded run a result file holds (`--shard index/count`). */
export interface ShardRef {
  index: number;
  count: number;
}

/** Provenance of one part of a merged run. */
export interface ShardProvenance {
  shard?: ShardRef;
  host: string;
  commandLine: string[];
  startedAt: string;
  finishedAt?: string;
  partial: boolean;
  recordsSha256: string;
  records: number;
}

/** Provenance of a run. */
export interface RunMetadata {
  xvcVersion: string;
  xvcCommit?: string;
  /** Document family → versions the spec catalogue knows. */
  specVersions: Record<string, string[]>;
  targets: ResultTargetMetadata[];
  seed: number;
  runs: number;
  commandLine: string[];
  host: string;
  node?: string;
  /** ISO 8601 timestamps. */
  startedAt: string;
  finishedAt?: string;
  /** The run did not finish (reconstructed from results.jsonl), or a merge lacks parts. */
  partial: boolean;
  /** sha256 (hex) of the canonical JSON of `records` (see records-hash.ts). */
  recordsSha256: string;
  shard?: ShardRef;
  shards?: ShardProvenance[];
  notes?: string[];
}

/** Bytes of a PCI function that break a rule, with the offending offsets. */
export interface BytesEvidence {
  kind: 'bytes';
  functionId: string;
  /** Where the shown region starts (absolute offset in `space`). */
  offset: number;
  length?: number;
  /** `config` or `barN`. */
  space?: string;
  /** The region as hex; whitespace is allowed and ignored. */
  bytes: string;
  /** Absolute offsets of the offending bytes. */
  highlight: number[];
  expected?: string;
  actual?: string;
}

/** A shrunk fast-check counterexample and how to replay it. */
export interface CounterexampleEvidence {
  kind: 'counterexample';
  /** The shrunk input, as JSON. */
  scenario: unknown;
  seed: number;
  path: string;
  replay: string;
}

/** What the harness saw when a target misbehaved (crash, timeout, malformed reply). */
export interface HarnessEvidence {
  kind: 'harness';
  code: string;
  stderr?: string;
}

/** Free text (e.g. an assertion's stack). */
export interface TextEvidence {
  kind: 'text';
  text: string;
}

/** Evidence of a result, a discriminated union on `kind`. */
export type Evidence = BytesEvidence | CounterexampleEvidence | HarnessEvidence | TextEvidence;

/** The expectations entry that turned a record into xfail or xpass. */
export interface AppliedExpectation {
  target: string;
  requirement: string;
  reason: string;
  link?: string;
  /** file:line:column of the entry. */
  source?: string;
}

/** One result: one requirement, one target, one test. */
export interface ResultRecord {
  /** Stable id: suite file + full test name + requirement. */
  id: string;
  requirement: string;
  target: string;
  suite: string;
  test: string;
  file?: string;
  outcome: Outcome;
  message: string;
  /** Copied from the requirement catalogue so reports need nothing else. */
  title?: string;
  level?: string;
  side?: string;
  ref?: string;
  evidence: Evidence[];
  durationMs: number;
  /** For mechanism suites: the matrix cell this record fills. */
  mechanism?: string;
  property?: string;
  expectation?: AppliedExpectation;
}

/** An expectations entry as results mention it (expired or unmatched). */
export interface ExpectationEntryRef {
  target: string;
  requirement: string;
  reason: string;
  link?: string;
  expires?: string;
  /** file:line:column of the entry. */
  source: string;
}

/** What applying an expectations file did. */
export interface ExpectationsReport {
  file: string;
  applied: number;
  expired: ExpectationEntryRef[];
  unmatched: ExpectationEntryRef[];
}

/** A discovery mechanism, as a matrix row. */
export interface MatrixMechanism {
  id: string;
  title: string;
  writer: string;
  trusted: boolean;
}

/** A frontend property (invariant), as a matrix column. */
export interface MatrixProperty {
  id: string;
  requirement: string;
  title?: string;
}

/** One mechanism × property cell. */
export interface MatrixCell {
  mechanism: string;
  property: string;
  outcome: Outcome;
  /** Target whose result fills the cell, when several could. */
  target?: string;
  counterexample?: CounterexampleEvidence;
}

/** Properties of a mechanism known from the catalogue alone. */
export interface MechanismStaticFacts {
  mechanism: string;
  facts: { name: string; value: string }[];
}

/** The mechanism × property matrix. */
export interface MechanismMatrix {
  mechanisms: MatrixMechanism[];
  properties: MatrixProperty[];
  cells: MatrixCell[];
  static: MechanismStaticFacts[];
}

/** Everything a run produced: results.json. */
export interface RunResults {
  format: typeof resultsFormat;
  metadata: RunMetadata;
  records: ResultRecord[];
  /** Errors outside any test: harness errors of the whole run. */
  runErrors: string[];
  expectations?: ExpectationsReport;
  mechanismMatrix?: MechanismMatrix;
}
