import { describe, expect, it } from 'vitest';
import { diagnostics } from '../core/diagnostics.ts';
import { TargetError } from './device-target.ts';

describe('TargetError', () => {
  it('is a harness error of the target category, with the catalogue code of its kind and its details', () => {
    const error = new TargetError('targetCrashed', "adapter './a' exited with code 139", { stderr: 'segfault' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'TargetError', diagnostic: 'targetCrashed', code: diagnostics.targetCrashed.code, category: 'target', details: { stderr: 'segfault' } });
    expect(error.message).toBe("adapter './a' exited with code 139");
  });

  it('has empty details unless given, and exits 3 like every harness error', () => {
    const error = new TargetError('targetTimeout', 'no answer');
    expect(error.details).toEqual({});
    expect(error.exitCode).toBe(3);
  });
});
