/**
 * What a device check returns: pass, fail with the exact bytes that break the rule, or inapplicable
 * with the reason. Checks never throw on bad device data; suites turn a verdict into vitest outcome
 * and task meta.
 */
import type { Evidence } from '../../../generated/ts/schema/results.ts';

/** The verdict of one check on one PCI function. */
export type CheckVerdict =
  | { readonly outcome: 'pass'; readonly note?: string }
  | { readonly outcome: 'fail'; readonly message: string; readonly evidence: Evidence[] }
  | { readonly outcome: 'inapplicable'; readonly note: string };

/** A passing verdict, optionally saying what was (not) looked at. */
export function pass(note?: string): CheckVerdict {
  return note === undefined ? { outcome: 'pass' } : { outcome: 'pass', note };
}

/** A verdict for a rule that does not apply to this function or target. */
export function inapplicable(note: string): CheckVerdict {
  return { outcome: 'inapplicable', note };
}

/** A failing verdict. */
export function fail(message: string, ...evidence: Evidence[]): CheckVerdict {
  return { outcome: 'fail', message, evidence };
}

/** Combines verdicts of sub-checks: the first failure wins, then pass if any passed, else inapplicable. */
export function combine(verdicts: readonly CheckVerdict[], whenEmpty: string): CheckVerdict {
  const failures = verdicts.filter((v): v is Extract<CheckVerdict, { outcome: 'fail' }> => v.outcome === 'fail');
  if (failures.length > 0) {
    return fail(failures.map((f) => f.message).join('; '), ...failures.flatMap((f) => f.evidence));
  }
  const passes = verdicts.filter((v) => v.outcome === 'pass');
  if (passes.length > 0) return pass();
  const notes = verdicts.flatMap((v) => (v.outcome === 'inapplicable' ? [v.note] : []));
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
