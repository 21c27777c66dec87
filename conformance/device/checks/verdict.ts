/**
 * What a device check returns. A check reports what it found — pass, a violation with the exact
 * bytes that show it, or inapplicable with the reason — as a {@link CheckFinding}; it never decides
 * how bad a violation is. The check table grades a finding into a {@link CheckVerdict} from the
 * level the catalogue gives the statement it rests on (MUST and MUST NOT: fail; SHOULD, SHOULD NOT
 * and non-normative notes: warning), so no check can call a SHOULD a failure by hand. Checks never
 * throw on bad device data.
 */
import type { Evidence } from '../../../generated/ts/schema/results.ts';
import type { RequirementId } from '../../../generated/ts/requirements.ts';
import { violationMessage, type DeviceViolation } from './violations.ts';

/** One or more violations, first the one that decided the verdict. */
export type Violations = readonly [DeviceViolation, ...DeviceViolation[]];

/** The catalogue's statement a graded verdict rests on. */
export interface VerdictStatement {
  readonly id: RequirementId;
  readonly level: string;
  readonly ref: string;
  /** Our paraphrase of the normative text, from the catalogue. */
  readonly text: string;
}

interface ViolationFields {
  readonly violations: Violations;
  /** Rendered from `violations`. */
  readonly message: string;
  readonly evidence: Evidence[];
  /** What exactly was tested, when it depends on the target (declarations, negotiated features, version). */
  readonly condition?: string;
  /** The statement the violation breaks when a row names several; default the row's first id. */
  readonly requirement?: RequirementId;
}

/** What a check found on one PCI function, before grading. A `fail` here means "a violation was found". */
export type CheckFinding =
  | { readonly outcome: 'pass'; readonly note?: string; readonly condition?: string }
  | ({ readonly outcome: 'fail' } & ViolationFields)
  | { readonly outcome: 'inapplicable'; readonly note: string; readonly condition?: string };

/** A graded verdict: a violation of a MUST is `fail`, of a SHOULD or a non-normative note `warning`. */
export type CheckVerdict =
  | Exclude<CheckFinding, { outcome: 'fail' }>
  | ({ readonly outcome: 'fail' } & ViolationFields & { readonly statement?: VerdictStatement })
  | ({ readonly outcome: 'warning' } & ViolationFields & { readonly statement?: VerdictStatement });

/** A finding or verdict that carries violations. */
export type ViolationVerdict = Extract<CheckVerdict, { outcome: 'fail' | 'warning' }>;

/** A passing finding, optionally saying what was (not) looked at. */
export function pass(note?: string, condition?: string): CheckFinding {
  return { outcome: 'pass', ...(note === undefined ? {} : { note }), ...(condition === undefined ? {} : { condition }) };
}

/** A finding for a rule that does not apply to this function or target. */
export function inapplicable(note: string, condition?: string): CheckFinding {
  return { outcome: 'inapplicable', note, ...(condition === undefined ? {} : { condition }) };
}

/** A violation with the evidence that shows it. */
export function fail(violation: DeviceViolation, ...evidence: Evidence[]): CheckFinding {
  return { outcome: 'fail', violations: [violation], message: violationMessage(violation), evidence };
}

/** `finding` with `condition` (and, for violations, the statement id it rests on) attached. */
export function withCondition(finding: CheckFinding, condition: string | undefined, requirement?: RequirementId): CheckFinding {
  if (condition === undefined && requirement === undefined) return finding;
  return {
    ...finding,
    ...(condition === undefined ? {} : { condition }),
    ...(requirement !== undefined && finding.outcome === 'fail' ? { requirement } : {}),
  };
}

/** Combines findings of sub-checks: every violation (the first decides), then pass if any passed, else inapplicable. */
export function combine(findings: readonly CheckFinding[], whenEmpty: string): CheckFinding {
  const failures = findings.filter((f): f is Extract<CheckFinding, { outcome: 'fail' }> => f.outcome === 'fail');
  const [first, ...rest] = failures.flatMap((f) => f.violations);
  if (first !== undefined) {
    const violations: Violations = [first, ...rest];
    const condition = failures.find((f) => f.condition !== undefined)?.condition;
    return {
      outcome: 'fail',
      violations,
      message: violations.map(violationMessage).join('; '),
      evidence: failures.flatMap((f) => f.evidence),
      ...(condition === undefined ? {} : { condition }),
    };
  }
  const passes = findings.filter((f) => f.outcome === 'pass');
  if (passes.length > 0) return pass();
  const notes = findings.flatMap((f) => (f.outcome === 'inapplicable' ? [f.note] : []));
  return inapplicable(notes.length > 0 ? notes.join('; ') : whenEmpty);
}

/** Bytes of context shown around a single offending offset: one row of a hex dump. */
export const EVIDENCE_ROW_BYTES = 16;

/** Lower-case hex of `bytes`, two digits per byte, no separators. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `0x…` text of a number, for messages and evidence. */
export function hexNumber(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/**
 * Byte evidence of `bytes` found at `offset` of `space` (a BAR, typically): like
 * {@link bytesEvidence}, without building an image of the space up to `offset`, which a device can
 * put anywhere up to 4 GiB.
 */
export function regionEvidence(
  functionId: string,
  space: 'config' | `bar${number}`,
  offset: number,
  bytes: Uint8Array,
  highlight: readonly number[],
  expected?: string,
  actual?: string,
): Evidence {
  return {
    kind: 'bytes',
    functionId,
    space,
    offset,
    bytes: toHex(bytes),
    highlight: [...highlight],
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  };
}

/**
 * Byte evidence: the region `[start, start + length)` of `space` (clamped to the data), with the
 * offending absolute offsets highlighted.
 */
export function bytesEvidence(
  functionId: string,
  space: 'config' | `bar${number}`,
  data: Uint8Array,
  start: number,
  length: number,
  highlight: readonly number[],
  expected?: string,
  actual?: string,
): Evidence {
  const from = Math.max(0, Math.min(start, data.length));
  const to = Math.max(from, Math.min(start + length, data.length));
  return {
    kind: 'bytes',
    functionId,
    space,
    offset: from,
    bytes: toHex(data.subarray(from, to)),
    highlight: [...highlight],
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  };
}
