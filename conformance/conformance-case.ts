/**
 * One conformance check, ready to run: what every engine produces and what both runners consume.
 * `xvc run` executes cases directly (no test framework in the way of start-up or sharding), and
 * the vitest suites under suites/ declare one test per case, so `npm test` and `xvc run` judge
 * with the same code.
 */
import type { Evidence, TargetMetadata } from '../generated/ts/schema/results.ts';
import type { RequirementId } from '../generated/ts/requirements.ts';
import type { AdapterIncident } from '../targets/exec.ts';
import type { SuiteName } from './run-plan.ts';

/** How one case ended. `warning` is for SHOULD statements and non-normative notes (never a fail). */
export type CaseOutcome =
  | { readonly outcome: 'pass'; readonly note?: string }
  | { readonly outcome: 'fail'; readonly message: string; readonly evidence: readonly Evidence[] }
  | { readonly outcome: 'warning'; readonly message: string; readonly evidence: readonly Evidence[] }
  | { readonly outcome: 'inapplicable'; readonly note: string }
  | { readonly outcome: 'skip'; readonly note: string }
  | { readonly outcome: 'error'; readonly message: string; readonly evidence: readonly Evidence[] };

/** A case's result: its outcome plus what it learnt about the target on the way. */
export type CaseResult = CaseOutcome & {
  /** What the target said about itself (a QEMU's version, an adapter's name), when the case knows it. */
  readonly targetMetadata?: TargetMetadata;
  /** What exactly was tested, in words (the condition the verdict is about). */
  readonly condition?: string;
  /**
   * For a fail or warning of a case that names several requirements: the one the violation breaks.
   * The others were not judged to the end (the check stopped at the violation).
   */
  readonly requirement?: RequirementId;
  /**
   * An adapter that crashed, hung or lied while this case ran, even if a restart then answered: a
   * crash is a finding, so the record keeps it.
   */
  readonly incidents?: readonly AdapterIncident[];
};

/** One check of one requirement set on one target. */
export interface ConformanceCase {
  /** Which suite produced it. */
  readonly suite: SuiteName;
  /** The target spec as the user wrote it (`qemu:virtio-net-pci`), or a self-check name (`mechanism:xenstore`). */
  readonly target: string;
  /** Groups of the name, outermost first (e.g. the target and the PCI function), for listing and for vitest's describe blocks. */
  readonly groups: readonly string[];
  /** The test's own name, starting with its requirement ids. */
  readonly name: string;
  readonly requirements: readonly RequirementId[];
  /** For the mechanism × property matrix: the cell this case fills. */
  readonly mechanism?: string;
  readonly property?: string;
  /** Runs the check. Never throws: a harness problem is an `error` outcome with evidence. */
  run(): Promise<CaseResult>;
}

/** The cases of one suite for one run, and how to release what opening the targets took. */
export interface SuiteCases {
  readonly cases: readonly ConformanceCase[];
  /** Closes targets (QEMU processes, adapters); safe to call twice. */
  close(): Promise<void>;
}

/** A case's full name: its groups and name joined as vitest joins describe blocks and test names. */
export function caseFullName(testCase: Pick<ConformanceCase, 'groups' | 'name'>): string {
  return [...testCase.groups, testCase.name].join(' > ');
}
