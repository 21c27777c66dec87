import { describe, expect, it } from 'vitest';
import { exitCodeOfError, formatXvcError, isXvcError, XvcError } from './xvc-error.ts';

class SampleError extends XvcError<'targetTimeout', { seconds: number }> {
  constructor(readonly seconds: number) {
    super('targetTimeout', `no answer in ${seconds} s`, { seconds });
  }
}

describe('XvcError', () => {
  it('takes its code and category from the catalogue entry it names', () => {
    const error = new XvcError('invalidSeed', '--seed must be an integer', { origin: '--seed' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ diagnostic: 'invalidSeed', code: 'XVC2003', category: 'usage', details: { origin: '--seed' }, message: '--seed must be an integer' });
    expect(error.name).toBe('XvcError');
  });

  it('is named after the subclass and keeps its structured fields', () => {
    const error = new SampleError(5);
    expect(error.name).toBe('SampleError');
    expect(error.seconds).toBe(5);
    expect(error.details).toEqual({ seconds: 5 });
    expect(error.code).toBe('XVC4002');
  });

  it('gives the exit code of its category', () => {
    expect(new XvcError('badUsage', 'x', {}).exitCode).toBe(2);
    expect(new XvcError('resultsSyntax', 'x', {}).exitCode).toBe(2);
    expect(new SampleError(1).exitCode).toBe(3);
    expect(new XvcError('checkCrashed', 'x', {}).exitCode).toBe(3);
  });

  it('keeps the cause', () => {
    const cause = new Error('ENOENT');
    expect(new XvcError('inputMissing', 'x', {}, { cause }).cause).toBe(cause);
  });
});

describe('exitCodeOfError', () => {
  it('is the category exit code for a catalogued error and 3 (internal) for anything else', () => {
    expect(exitCodeOfError(new XvcError('inputTooLarge', 'x', {}))).toBe(2);
    expect(exitCodeOfError(new TypeError('bug'))).toBe(3);
    expect(exitCodeOfError('thrown string')).toBe(3);
    expect(isXvcError(new TypeError('bug'))).toBe(false);
  });
});

describe('formatXvcError', () => {
  it('puts the code first, as a spec problem line does', () => {
    expect(formatXvcError(new XvcError('badOptionValue', '--runs must be a whole number', {}))).toBe('XVC2004 --runs must be a whole number');
  });
});
