import { describe, expect, it } from 'vitest';
import type { CaseResult, ConformanceCase } from '../../conformance/conformance-case.ts';
import { runCases } from './case-runner.ts';

function fakeCase(target: string, name: string, run: () => Promise<CaseResult>): ConformanceCase {
  return { suite: 'device', target, groups: [target], name, requirements: ['PCI-DEV-02'], run };
}

describe('runCases', () => {
  it('runs the cases of one target in order and reports each', async () => {
    const order: string[] = [];
    const cases = ['a', 'b', 'c'].map((name) => fakeCase('t', name, async () => {
      order.push(name);
      return { outcome: 'pass' };
    }));
    const seen: string[] = [];
    await runCases(cases, { concurrency: 4, onResult: (testCase) => seen.push(testCase.name) });
    expect(order).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('works on several targets at once, never two cases of one target together', async () => {
    let active = 0;
    let most = 0;
    const activeByTarget = new Map<string, number>();
    const cases = ['t1', 't2', 't3'].flatMap((target) =>
      [1, 2].map((n) =>
        fakeCase(target, `${target}-${n}`, async () => {
          active++;
          most = Math.max(most, active);
          activeByTarget.set(target, (activeByTarget.get(target) ?? 0) + 1);
          expect(activeByTarget.get(target)).toBe(1);
          await new Promise((resolve) => setImmediate(resolve));
          activeByTarget.set(target, activeByTarget.get(target)! - 1);
          active--;
          return { outcome: 'pass' };
        }),
      ),
    );
    await runCases(cases, { concurrency: 2, onResult: () => {} });
    expect(most).toBe(2);
  });

  it('turns a case that throws into a harness error and goes on', async () => {
    const results: CaseResult[] = [];
    const cases = [fakeCase('t', 'boom', () => Promise.reject(new Error('bug'))), fakeCase('t', 'fine', async () => ({ outcome: 'pass' }))];
    await runCases(cases, { concurrency: 1, onResult: (_case, result) => results.push(result) });
    expect(results.map((result) => result.outcome)).toEqual(['error', 'pass']);
  });

  it('starts no case once the signal is aborted', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const cases = ['a', 'b', 'c'].map((name) => fakeCase('t', name, async () => {
      ran.push(name);
      if (name === 'a') controller.abort();
      return { outcome: 'pass' };
    }));
    await runCases(cases, { concurrency: 1, onResult: () => {}, signal: controller.signal });
    expect(ran).toEqual(['a']);
  });
});
