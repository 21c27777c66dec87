import { describe, expect, it } from 'vitest';
import { TargetError } from '../targets/device-target.ts';
import { errorResult, guarded, unopenedResult } from './case-result.ts';

describe('errorResult', () => {
  it('keeps a target error code and its stderr as harness evidence', () => {
    const result = errorResult(new TargetError('targetCrashed', 'qemu died', { stderr: 'abort' }));
    expect(result).toEqual({ outcome: 'error', message: 'qemu died', evidence: [{ kind: 'harness', code: 'XVC4001', stderr: 'abort' }] });
  });

  it('calls anything else a crashed check, with the stack', () => {
    const result = errorResult(new RangeError('index 9'));
    expect(result).toMatchObject({ outcome: 'error', message: 'index 9' });
    expect(result.outcome === 'error' && result.evidence[0]).toMatchObject({ kind: 'harness', code: 'XVC9003' });
    expect(errorResult('text')).toMatchObject({ outcome: 'error', message: 'text' });
  });
});

describe('guarded', () => {
  it('returns the body result, or the error result of what it throws', async () => {
    expect(await guarded(() => ({ outcome: 'pass' }))).toEqual({ outcome: 'pass' });
    expect(await guarded(async () => Promise.reject(new TargetError('targetTimeout', 'slow')))).toMatchObject({ outcome: 'error', message: 'slow' });
  });
});

describe('unopenedResult', () => {
  it('makes the suites of the other role inapplicable, and any other failure a harness error', () => {
    expect(unopenedResult(new TargetError('targetRole', 'implements the frontend role, xvc needs a device'), 'device')).toEqual({
      outcome: 'inapplicable',
      note: 'the device suite does not apply: the target implements the frontend role, xvc needs a device',
    });
    expect(unopenedResult(new TargetError('targetCrashed', 'gone'), 'device')).toMatchObject({ outcome: 'error' });
  });
});
