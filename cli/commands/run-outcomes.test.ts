/**
 * What the results of xvc's own runs must show (issue 4, point 5), checked through the real binary.
 * Every expectation below is derived from the digest (decision table 5.9, section 7) and from who
 * writes each mechanism's value (spec/mechanisms.yaml), never from an earlier run's output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord, RunResults } from '../../results/result-model.ts';
import { mechanisms } from '../../generated/ts/mechanisms.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-outcomes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function xvcRun(name: string, args: string[]): { status: number | null; results: RunResults; stderr: string } {
  const out = join(scratch, name);
  const child = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', ...args, '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: child.status, stderr: child.stderr, results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults };
}

/** Requirement ids a target broke (fail or expected fail). */
function broken(records: ResultRecord[], target: string): string[] {
  return [...new Set(records.filter((record) => record.target === target && (record.outcome === 'fail' || record.outcome === 'xfail')).map((record) => record.requirement))].sort();
}

describe('the default run (reference and every built-in model)', () => {
  let run: ReturnType<typeof xvcRun>;
  beforeAll(() => {
    run = xvcRun('default', []);
  }, 300_000);

  it('exits 0: the models fail only where the expectations say they do', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.results.records.filter((record) => record.outcome === 'fail' || record.outcome === 'xpass' || record.outcome === 'error')).toEqual([]);
  });

  it('the reference frontend and device pass everything they are judged on', () => {
    const reference = run.results.records.filter((record) => record.target === 'reference');
    expect(reference.length).toBeGreaterThan(100);
    expect(reference.filter((record) => record.outcome !== 'pass' && record.outcome !== 'inapplicable')).toEqual([]);
  });

  it('linux-6.5 grants from dom0 to itself (patch 2/2 of 2023 never merged)', () => {
    expect(broken(run.results.records, 'model:linux-6.5')).toEqual(expect.arrayContaining(['XEN-INV-02', 'XEN-INV-03']));
    const record = run.results.records.find((candidate) => candidate.target === 'model:linux-6.5' && candidate.requirement === 'XEN-INV-02')!;
    expect(record.evidence.some((evidence) => evidence.kind === 'counterexample')).toBe(true);
  });

  it('linux-2026 no longer falls back to itself, but still grants to itself through the device tree and truncates a 32-bit cell', () => {
    const failed = broken(run.results.records, 'model:linux-2026');
    expect(failed).not.toContain('XEN-INV-02');
    expect(failed).toEqual(expect.arrayContaining(['XEN-INV-03', 'XEN-INV-13']));
  });

  it('every mechanism whose value the backend writes fails the trusted-source property with a counterexample', () => {
    const backendWritten = mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id);
    expect(backendWritten.length).toBeGreaterThan(0);
    for (const id of backendWritten) {
      const cell = run.results.records.find((record) => record.target === `mechanism:${id}` && record.requirement === 'XEN-INV-01');
      expect(cell?.outcome, id).toBe('xfail');
      expect(cell?.evidence.some((evidence) => evidence.kind === 'counterexample'), id).toBe(true);
    }
  });

  it('device tree, a dom0-run virtio-iommu and a hypervisor-emulated root-complex register pass it', () => {
    for (const id of ['dt-iommus', 'dt-iommu-map', 'virtio-iommu-trusted', 'root-complex-register']) {
      const cell = run.results.records.find((record) => record.target === `mechanism:${id}` && record.requirement === 'XEN-INV-01');
      expect(cell?.outcome, id).toBe('pass');
    }
  });
});

describe('external adapters through exec:', () => {
  it('the Python reference adapter passes the frontend suite', () => {
    const run = xvcRun('python', ['--suite', 'frontend', '--target', 'exec:python3 examples/adapters/python-frontend/adapter.py']);
    expect(run.status, run.stderr).toBe(0);
    const own = run.results.records.filter((record) => record.target.startsWith('exec:'));
    expect(own.length).toBeGreaterThan(5);
    expect(own.filter((record) => record.outcome !== 'pass' && record.outcome !== 'inapplicable')).toEqual([]);
  }, 300_000);

  it('the C adapter of Linux 2026 is flagged exactly as the built-in linux-2026 model', () => {
    const binary = join(scratch, 'c-linux-2026');
    const sources = join(repoRoot, 'examples', 'adapters', 'c-linux-2026');
    execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-I', join(repoRoot, 'generated', 'c'), '-o', binary, join(sources, 'adapter.c'), join(sources, 'json.c')]);
    const run = xvcRun('c-adapter', ['--suite', 'frontend', '--target', `exec:${binary}`, '--target', 'model:linux-2026']);
    expect(run.status).toBe(1);
    const adapter = broken(run.results.records, `exec:${binary}`);
    expect(adapter).toEqual(broken(run.results.records, 'model:linux-2026'));
    expect(adapter).toEqual(expect.arrayContaining(['XEN-INV-03', 'XEN-INV-13']));
  }, 300_000);
});
