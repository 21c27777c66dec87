import { describe, expect, it } from 'vitest';
import { firstViolation, hex, notApplicable, passed, statusText, violation } from './driver-finding.ts';

describe('driver findings', () => {
  it('are built with what each outcome carries', () => {
    expect(passed()).toEqual({ outcome: 'pass' });
    expect(passed('no queue was reset')).toEqual({ outcome: 'pass', note: 'no queue was reset' });
    expect(notApplicable('no FAILED')).toEqual({ outcome: 'inapplicable', note: 'no FAILED' });
    expect(violation('cleared DRIVER', [7, 3, 7, 1], 'VIRTIO-DRV-01')).toEqual({ outcome: 'violation', message: 'cleared DRIVER', at: [1, 3, 7], requirement: 'VIRTIO-DRV-01' });
    expect(violation('m', [])).toEqual({ outcome: 'violation', message: 'm', at: [] });
  });

  it('writes numbers as 0x… and a status with the names of its bits (VS13 §2.1)', () => {
    expect(hex(255)).toBe('0xff');
    expect(statusText(0x0b)).toBe('0xb (ACKNOWLEDGE|DRIVER|FEATURES_OK)');
    expect(statusText(0x80)).toBe('0x80 (FAILED)');
    expect(statusText(0)).toBe('0x0');
  });

  it('combines: the first violation wins, else pass when anything passed, else the first reason, else the fallback', () => {
    const first = violation('first', [2]);
    expect(firstViolation([passed(), notApplicable('a'), first, violation('second', [1])], 'none')).toBe(first);
    expect(firstViolation([notApplicable('a'), passed('noted')], 'none')).toEqual({ outcome: 'pass' });
    expect(firstViolation([notApplicable('a'), notApplicable('b')], 'none')).toEqual({ outcome: 'inapplicable', note: 'a' });
    expect(firstViolation([], 'no access to judge')).toEqual({ outcome: 'inapplicable', note: 'no access to judge' });
  });
});
