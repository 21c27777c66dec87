import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../generated/ts/schema/results.ts';
import { bytesEvidence, combine, EVIDENCE_ROW_BYTES, fail, hexNumber, inapplicable, pass, regionEvidence, toHex, withCondition } from './verdict.ts';
import { violationMessage, type DeviceViolation } from './violations.ts';

const vendor: DeviceViolation = { code: 'vendor-id', at: 0, actual: 0x8086, expected: 0x1af4 };
const revision: DeviceViolation = { code: 'modern-revision', at: 8, actual: 0, min: 1 };
const bytes: Evidence = { kind: 'bytes', functionId: 'f', space: 'config', offset: 0, bytes: '8680', highlight: [0, 1] };

describe('findings', () => {
  it('pass and inapplicable carry a note and a condition only when given', () => {
    expect(pass()).toEqual({ outcome: 'pass' });
    expect(pass('BAR sizes unknown', 'declared 1.3')).toEqual({ outcome: 'pass', note: 'BAR sizes unknown', condition: 'declared 1.3' });
    expect(inapplicable('not transitional')).toEqual({ outcome: 'inapplicable', note: 'not transitional' });
  });

  it('a failure carries its violation, the message rendered from it, and its evidence', () => {
    expect(fail(vendor, bytes)).toEqual({ outcome: 'fail', violations: [vendor], message: violationMessage(vendor), evidence: [bytes] });
  });

  it('withCondition adds the condition, and the requirement only to a failure', () => {
    const failure = fail(vendor);
    expect(withCondition(failure, undefined)).toBe(failure);
    expect(withCondition(failure, 'grants declared', 'PCI-DEV-02')).toMatchObject({ condition: 'grants declared', requirement: 'PCI-DEV-02' });
    expect(withCondition(pass(), 'grants declared', 'PCI-DEV-02')).toEqual({ outcome: 'pass', condition: 'grants declared' });
  });
});

describe('combine', () => {
  it('keeps every violation, the first deciding, with all evidence and the first condition', () => {
    const first = withCondition(fail(vendor, bytes), 'c1');
    const second = fail(revision);
    const combined = combine([pass(), first, inapplicable('x'), second], 'nothing');
    expect(combined).toEqual({ outcome: 'fail', violations: [vendor, revision], message: `${violationMessage(vendor)}; ${violationMessage(revision)}`, evidence: [bytes], condition: 'c1' });
  });

  it('passes when nothing failed and something passed; else is inapplicable with every reason, or the fallback', () => {
    expect(combine([inapplicable('a'), pass('n')], 'none')).toEqual({ outcome: 'pass' });
    expect(combine([inapplicable('a'), inapplicable('b')], 'none')).toEqual({ outcome: 'inapplicable', note: 'a; b' });
    expect(combine([], 'no capability to check')).toEqual({ outcome: 'inapplicable', note: 'no capability to check' });
  });
});

describe('evidence helpers', () => {
  it('write hex as lower-case digits, two per byte, and numbers as 0x…', () => {
    expect(toHex(Uint8Array.of(0x00, 0xab, 0x0f))).toBe('00ab0f');
    expect(hexNumber(4096)).toBe('0x1000');
    expect(hexNumber(1n << 40n)).toBe('0x10000000000');
    expect(EVIDENCE_ROW_BYTES).toBe(16);
  });

  it('cut the region of byte evidence to the data, highlighting absolute offsets', () => {
    const data = Uint8Array.from({ length: 32 }, (_, index) => index);
    expect(bytesEvidence('f', 'config', data, 28, 16, [30], '0', '1e')).toEqual({ kind: 'bytes', functionId: 'f', space: 'config', offset: 28, bytes: '1c1d1e1f', highlight: [30], expected: '0', actual: '1e' });
    expect(bytesEvidence('f', 'config', data, 40, 4, [])).toEqual({ kind: 'bytes', functionId: 'f', space: 'config', offset: 32, bytes: '', highlight: [] });
    expect(bytesEvidence('f', 'bar4', data, -4, 6, [0])).toMatchObject({ offset: 0, bytes: '0001' });
  });

  it('place region evidence at its own offset of a BAR, however far in', () => {
    expect(regionEvidence('f', 'bar2', 0xfff0_0000, Uint8Array.of(1, 2), [0xfff0_0001])).toEqual({ kind: 'bytes', functionId: 'f', space: 'bar2', offset: 0xfff0_0000, bytes: '0102', highlight: [0xfff0_0001] });
  });
});
