import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../test-support/fast-check-seed.ts';
import { boundedConcurrency, machineBudget } from './concurrency.ts';

const MiB = 1024 * 1024;

describe('boundedConcurrency', () => {
  it('is the cores when memory is plentiful', () => {
    expect(boundedConcurrency({ cores: 2, availableBytes: 24_000 * MiB, bytesPerJob: 64 * MiB })).toBe(2);
  });

  it('is what half the available memory holds when memory is short', () => {
    // 1 GiB available, half of it for 64 MiB jobs: 8, although there are 16 cores.
    expect(boundedConcurrency({ cores: 16, availableBytes: 1024 * MiB, bytesPerJob: 64 * MiB })).toBe(8);
    expect(boundedConcurrency({ cores: 16, availableBytes: 1024 * MiB, bytesPerJob: 64 * MiB, memoryShare: 0.25 })).toBe(4);
  });

  it('runs one job at a time when not even one fits, rather than none', () => {
    expect(boundedConcurrency({ cores: 8, availableBytes: 10 * MiB, bytesPerJob: 64 * MiB })).toBe(1);
    expect(boundedConcurrency({ cores: 0, availableBytes: 0, bytesPerJob: 64 * MiB })).toBe(1);
  });

  it('never exceeds the cores or the memory share, and is at least 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 32 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (cores, availableBytes, bytesPerJob, memoryShare) => {
          const jobs = boundedConcurrency({ cores, availableBytes, bytesPerJob, memoryShare });
          expect(jobs).toBeGreaterThanOrEqual(1);
          expect(jobs).toBeLessThanOrEqual(Math.max(1, cores));
          if (jobs > 1) expect(jobs * bytesPerJob).toBeLessThanOrEqual(availableBytes * memoryShare);
        }),
      propertyParameters(),
    );
  });
});

describe('machineBudget', () => {
  it('counts this machine’s cores and some available memory', () => {
    const budget = machineBudget(64 * MiB);
    expect(budget.cores).toBeGreaterThanOrEqual(1);
    expect(budget.availableBytes).toBeGreaterThan(0);
    expect(budget.bytesPerJob).toBe(64 * MiB);
  });
});
