import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { linuxVersions } from '../reference-impl/frontend/index.ts';
import { defaultPlan, defaultRuns, isRunsCount, maxRuns, parseRunsOption, suiteNames, targetSuites } from './run-plan.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('run plans', () => {
  it('know five suites, three of which judge a target (layouts and mechanisms check xvc itself)', () => {
    expect([...suiteNames]).toEqual(['layouts', 'device', 'frontend', 'mechanisms', 'driver']);
    expect([...targetSuites]).toEqual(['device', 'frontend', 'driver']);
  });

  it('by default run every suite against the reference and every Linux model, with the built-in expectations', () => {
    vi.stubEnv('XVC_SEED', '31337');
    const plan = defaultPlan('/repo');
    expect(plan).toEqual({
      targets: ['reference', ...linuxVersions.map((version) => `model:${version.name}`)],
      suites: [...suiteNames],
      requirements: [],
      expectations: [],
      builtinExpectations: true,
      seed: 31337,
      runs: defaultRuns,
      outDir: resolve('/repo', 'xvc-report'),
      repoRoot: '/repo',
      commandLine: ['xvc', 'run'],
    });
    expect(defaultPlan('/repo', ['vitest']).commandLine).toEqual(['vitest']);
  });

  it('bound the runs per property', () => {
    expect(defaultRuns).toBe(100);
    expect(maxRuns).toBeGreaterThan(defaultRuns);
  });

  it('read --runs as a whole number from 1 to maxRuns, the default when absent', () => {
    expect(parseRunsOption(undefined)).toBe(defaultRuns);
    expect(parseRunsOption('1')).toBe(1);
    expect(parseRunsOption(String(maxRuns))).toBe(maxRuns);
    for (const text of ['', '0', String(maxRuns + 1), '1e2', '1.5', '-1', ' 7', '99999999999']) {
      expect(() => parseRunsOption(text), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'XVC2004', category: 'usage', message: expect.stringContaining('--runs') }));
    }
  });

  it('judge runs read from a results file (any JSON value) by the same range', () => {
    for (const value of [1, defaultRuns, maxRuns]) expect(isRunsCount(value), String(value)).toBe(true);
    for (const value of [0, -5, 1.5, maxRuns + 1, Number.NaN, Infinity, '100', null, undefined]) expect(isRunsCount(value), String(value)).toBe(false);
  });

  it('are plain data a vitest configuration can pass on', () => {
    const plan = defaultPlan('/repo');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
