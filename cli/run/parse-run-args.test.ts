import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { suiteNames, targetSuites } from '../../conformance/run-plan.ts';
import { linuxVersions } from '../../reference-impl/frontend/index.ts';
import { checkRequirementPatterns, parseAdapterEnv, parseRunArgs, RunUsageError } from './parse-run-args.ts';

const parse = (...args: string[]) => parseRunArgs(args, '/repo', {});

function usageError(run: () => unknown): Error & { diagnostic?: string; category?: string } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error');
}

describe('parseRunArgs', () => {
  it('without options: every suite against the reference and every Linux model, 100 runs, reports in xvc-report', () => {
    expect(parse()).toEqual({
      targets: ['reference', ...linuxVersions.map((version) => `model:${version.name}`)],
      suites: [...suiteNames],
      requirements: [],
      seed: expect.any(Number),
      runs: 100,
      outDir: resolve('xvc-report'),
      expectations: [],
      builtinExpectations: true,
      repoRoot: '/repo',
      commandLine: ['xvc', 'run'],
    });
  });

  it("with targets of the user's: only the suites that judge a target, unless suites are named", () => {
    expect(parse('--target', 'dump:a.txt').suites).toEqual([...targetSuites]);
    expect(parse('--target', 'dump:a.txt', '--suite', 'layouts').suites).toEqual(['layouts']);
    expect(parse('--target', 'qemu:all').targets).toEqual(['qemu:all']);
  });

  it('takes every option into the plan, paths resolved, the command line kept', () => {
    const plan = parseRunArgs(['--seed', '7', '--runs', '250', '--out', 'out', '--expectations', 'known.yaml', '--no-builtin-expectations', '--strict', '--shard', '2/3', '--strict-protocol', '--requirement', 'XEN-INV-*', '--adapter-env', 'MODE=fast'], '/repo', {});
    expect(plan).toMatchObject({ seed: 7, runs: 250, outDir: resolve('out'), expectations: [resolve('known.yaml')], builtinExpectations: false, strict: true, shard: '2/3', strictProtocol: true, requirements: ['XEN-INV-*'], adapterEnv: { MODE: 'fast' } });
    expect(plan.commandLine.slice(0, 4)).toEqual(['xvc', 'run', '--seed', '7']);
  });

  it('takes the seed from XVC_SEED when --seed is not given, and --seed over it', () => {
    vi.stubEnv('XVC_SEED', '4242');
    try {
      expect(parse().seed).toBe(4242);
      expect(parse('--seed', '9').seed).toBe(9);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses what it cannot use, as a usage error', () => {
    const cases: [string[], RegExp][] = [
      [['--suite', 'speed'], /unknown suite 'speed' \(known: layouts, device, frontend, mechanisms, driver\)/],
      [['--shard', '3'], /--shard must look like I\/N \(part I of N, such as 1\/3\), got '3'/],
      [['--shard', '4/3'], /--shard 4\/3: I must be from 1 to N \(3\)/],
      [['--shard', '0/3'], /--shard 0\/3: I must be from 1 to N \(3\)/],
      [['--shard', '1/10001'], /--shard 1\/10001: N must be from 1 to 10000/],
      [['--runs', '0'], /--runs/],
      [['--runs', '100001'], /--runs/],
      [['--seed', 'abc'], /--seed/],
      [['--target', 'ssh:host'], /unknown target kind 'ssh'/],
      [['--bogus'], /--bogus/],
      [['--adapter-env', '1BAD=x'], /--adapter-env expects NAME=VALUE or NAME, got '1BAD=x'/],
    ];
    for (const [args, message] of cases) {
      const error = usageError(() => parse(...args));
      expect(error.message, args.join(' ')).toMatch(message);
      expect(error.category, args.join(' ')).toBe('usage');
    }
  });
});

describe('checkRequirementPatterns', () => {
  it('accepts catalogued ids and globs that match one, and suggests the nearest id for a typo', () => {
    expect(() => checkRequirementPatterns(['XEN-INV-01', 'PCI-DEV-*', 'XEN-INV-0?'])).not.toThrow();
    expect(() => checkRequirementPatterns(['NOPE-*'])).toThrow(/--requirement NOPE-\* matches no requirement id/);
    const typo = usageError(() => checkRequirementPatterns(['XEN-INV-1']));
    expect(typo).toBeInstanceOf(RunUsageError);
    expect(typo.message).toMatch(/--requirement XEN-INV-1: no such requirement id \(did you mean XEN-INV-\d+\?\)/);
  });
});

describe('parseAdapterEnv', () => {
  it("sets NAME=VALUE, passes xvc's own value of a bare NAME, and leaves out one xvc does not have", () => {
    expect(parseAdapterEnv(['A=1', 'B=x=y', 'EMPTY=', 'HOME', 'UNSET'], { HOME: '/home/u' })).toEqual({ A: '1', B: 'x=y', EMPTY: '', HOME: '/home/u' });
    expect(() => parseAdapterEnv(['=x'], {})).toThrow(RunUsageError);
  });
});
