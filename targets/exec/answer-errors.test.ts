import { describe, expect, it } from 'vitest';
import { TargetError } from '../device-target.ts';
import { adapterReportedError, brokenPromise } from './answer-errors.ts';

describe('errors for answers that are no result', () => {
  it('an error the adapter reported: a protocol error quoting its code and message, with stderr', () => {
    const error = adapterReportedError("adapter './a'", 'decide', { kind: 'error', code: 'internal', message: 'lookup failed' }, 'trace');
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ diagnostic: 'targetProtocol', message: "adapter './a' answered decide with error 'internal': lookup failed", details: { stderr: 'trace' } });
  });

  it('a valid answer that breaks a promise of the target interface: a protocol error saying which', () => {
    const error = brokenPromise("adapter './a'", 'list-functions', 'two functions share the id f0', '');
    expect(error).toMatchObject({ diagnostic: 'targetProtocol', message: "adapter './a' answered list-functions inconsistently: two functions share the id f0", details: { stderr: '' } });
  });
});
