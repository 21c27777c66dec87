import { describe, expect, it } from 'vitest';
import type { Evidence } from '../generated/ts/schema/results.ts';
import { TargetError } from '../targets/device-target.ts';
import { errorResult, guarded, LISTED_READ_PROBLEMS, unopenedResult, withReadProblems } from './case-result.ts';

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

describe('withReadProblems', () => {
  const cut = { code: 'XVC3108', located: 'x.bin:0:0: warning: device x.bin: 65 bytes, ends at offset 0x41', bytesMissing: true };
  const twice = { code: 'XVC3109', located: 'a.txt:4:1: warning: address 0000:00:03.0 appears 2 times', bytesMissing: false };
  const bytes: Evidence = { kind: 'bytes', functionId: 'x.bin', space: 'config', offset: 0, bytes: '00', highlight: [0], expected: 'e', actual: 'a' };

  it('leaves a result alone when the reader found nothing', () => {
    expect(withReadProblems({ outcome: 'pass' }, [])).toEqual({ outcome: 'pass' });
  });

  it('turns a pass or inapplicable verdict on a function with missing bytes into a harness error naming the problem, keeping what the check said', () => {
    for (const result of [{ outcome: 'pass' as const, note: 'checked up to the end' }, { outcome: 'inapplicable' as const, note: 'the data ends before the first capability' }]) {
      const read = withReadProblems(result, [cut]);
      expect(read).toMatchObject({ outcome: 'error', evidence: [{ kind: 'harness', code: 'XVC3108' }] });
      expect(read.outcome === 'error' && read.message).toContain(cut.located);
      expect(read.outcome === 'error' && read.message).toContain(result.note);
    }
  });

  it('keeps a violation found in the bytes that are there, with the problem beside its evidence', () => {
    const read = withReadProblems({ outcome: 'fail', message: 'cap_len 4 < 16', evidence: [bytes] }, [cut]);
    expect(read).toMatchObject({ outcome: 'fail', evidence: [bytes, { kind: 'harness', code: 'XVC3108' }] });
    expect(read.outcome === 'fail' && read.message).toMatch(/^cap_len 4 < 16.*x\.bin:0:0/);
  });

  it('names a few problems and counts the rest, each code once as evidence, however many functions a dump has', () => {
    const many = Array.from({ length: 2000 }, (_, index) => ({ ...twice, located: `m.txt:${index + 1}:1: warning: device 0000:00:${index}.0: dump holds 80 bytes` }));
    const read = withReadProblems({ outcome: 'inapplicable', note: 'not virtio functions' }, [...many, cut]);
    if (read.outcome !== 'error') throw new Error(`expected an error, got ${read.outcome}`);
    expect(read.message).toContain(many[0]!.located);
    expect(read.message).toContain(many[LISTED_READ_PROBLEMS - 1]!.located);
    expect(read.message).not.toContain(many[LISTED_READ_PROBLEMS]!.located);
    expect(read.message).toContain(`and ${2001 - LISTED_READ_PROBLEMS} more`);
    expect(read.message.length).toBeLessThan(1000);
    expect(read.evidence).toEqual([{ kind: 'harness', code: 'XVC3109' }, { kind: 'harness', code: 'XVC3108' }]);
  });

  it('records a problem that loses no bytes without changing the verdict', () => {
    const read = withReadProblems({ outcome: 'pass' }, [twice]);
    expect(read).toMatchObject({ outcome: 'pass', note: expect.stringContaining(twice.located) });
    const inapplicable = withReadProblems({ outcome: 'inapplicable', note: 'not transitional' }, [twice]);
    expect(inapplicable).toMatchObject({ outcome: 'inapplicable', note: expect.stringMatching(/^not transitional.*appears 2 times/) });
  });
});
