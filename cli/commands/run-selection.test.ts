/**
 * `xvc run` choosing what to run, through the real binary: suites that fit the target's role, the
 * user's expectations beside the built-in ones, requirement filters, shards, bad targets refused
 * before anything runs, and a run that tests nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnostics } from '../../core/diagnostics.ts';
import { matchesGlob } from '../../core/glob.ts';
import { qemuGate } from '../../test-support/machine-tools.ts';
import { waitForOutput } from '../../test-support/processes.ts';
import type { RunResults } from '../../results/result-model.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-selection-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function xvcRun(name: string, args: string[], runs = 10): { status: number | null; stdout: string; stderr: string; out: string; results?: RunResults } {
  const out = join(scratch, name);
  const child = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, '--runs', String(runs), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  const file = join(out, 'results.json');
  return {
    status: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    out,
    ...(existsSync(file) && { results: JSON.parse(readFileSync(file, 'utf8')) as RunResults }),
  };
}

describe('xvc run selects what fits', () => {
  it('runs a frontend adapter through the frontend suite only: the device suite is inapplicable, no self-check appears', () => {
    const run = xvcRun('python', ['--target', 'exec:python3 examples/adapters/python-frontend/adapter.py']);
    expect(run.status, run.stderr).toBe(0);
    const records = run.results!.records;
    expect(new Set(records.map((record) => record.suite))).toEqual(new Set(['device', 'frontend']));
    const device = records.filter((record) => record.suite === 'device');
    expect(device.length).toBeGreaterThan(0);
    expect(device.every((record) => record.outcome === 'inapplicable' && record.message.includes('implements the frontend role'))).toBe(true);
    // Its properties pass; in its mechanism matrix only cells the mechanism itself cannot meet are inapplicable.
    const frontend = records.filter((record) => record.suite === 'frontend');
    expect(frontend.filter((record) => record.outcome !== 'pass' && !(record.outcome === 'inapplicable' && record.message.includes('itself cannot meet')))).toEqual([]);
    expect(records.some((record) => record.target.startsWith('mechanism:') || record.target === 'xvc:codecs')).toBe(false);
  });

  it("adds the user's expectations to the built-in ones, which cover only the run's own targets", () => {
    const file = join(scratch, 'mine.yaml');
    writeFileSync(file, 'expectations:\n  - { target: "dump:lab/*", requirement: PCI-DEV-09, reason: our firmware bug }\n');
    // The default number of runs: fewer may miss a known defect, which would then show as xpass.
    const run = xvcRun('expectations', ['--target', 'model:linux-6.5', '--expectations', file], 100);
    // The built-in entries still cover linux-6.5's known defects, so the run is conformant.
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.results!.records.some((record) => record.outcome === 'xfail')).toBe(true);
    // Listed as matching nothing: the user's own entry, and no built-in entry about another model.
    expect(run.results!.expectations!.unmatched.map((entry) => entry.target)).toEqual(['dump:lab/*']);
    const replaced = xvcRun('no-builtin', ['--target', 'model:linux-6.5', '--expectations', file, '--no-builtin-expectations'], 100);
    expect(replaced.status).toBe(1);
    expect(replaced.results!.records.some((record) => record.outcome === 'xfail')).toBe(false);
  });

  it('refuses an unknown requirement id with the nearest one, and runs a glob', () => {
    const unknown = xvcRun('unknown-id', ['--requirement', 'XEN-INV-1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--requirement XEN-INV-1: no such requirement id \(did you mean XEN-INV-\d\d\?\)/);
    expect(xvcRun('no-match', ['--requirement', 'NOPE-*']).status).toBe(2);
    const glob = xvcRun('glob', ['--target', 'reference', '--requirement', 'XEN-INV-0*']);
    expect(glob.status, glob.stderr).toBe(0);
    expect(glob.results!.records.length).toBeGreaterThan(0);
    // Only records of the selected requirements, though a case judging several is run for any of them.
    for (const record of glob.results!.records) expect(matchesGlob('XEN-INV-0*', record.requirement), record.id).toBe(true);
    const one = xvcRun('one-id', ['--target', 'model:linux-2026', '--requirement', 'XEN-INV-21']);
    expect(one.status, one.stderr).toBe(0);
    expect(new Set(one.results!.records.map((record) => record.requirement))).toEqual(new Set(['XEN-INV-21']));
    expect(one.stderr).toContain(` ${one.results!.records.length}/${one.results!.records.length} results`);
  });

  it('refuses a missing dump, an unknown QEMU device and a missing adapter before anything runs', () => {
    const run = xvcRun('bad-targets', ['--target', 'dump:fixtures/dumps/no-such.txt', '--target', 'exec:no-such-adapter-xvc']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('dump:fixtures/dumps/no-such.txt: no such file or directory');
    expect(run.stderr).toContain("'no-such-adapter-xvc' is not an executable on PATH");
    expect(run.stderr.match(/no such file or directory/g)).toHaveLength(1);
    expect(existsSync(join(run.out, 'results.jsonl'))).toBe(false);
  });

  it('exits 4 when nothing is tested: a dump with no virtio function', () => {
    const run = xvcRun('nothing', ['--target', 'dump:fixtures/dumps/pciutils-tests/pciutils-tests_neg-8086-0d93-subsys1af4.txt']);
    expect(run.status, run.stdout).toBe(4);
    expect(run.stdout).toMatch(/^nothing tested: all \d+ result\(s\) are skip or inapplicable/);
    expect(run.results!.expectations?.unmatched ?? []).toEqual([]);
  });

  // The device suite on the reference target shows several PCI functions, known before it opens.
  it.each([['frontend'], ['device']])('shows one total from the start in the %s suite: the progress total, the results and the printed counts agree', (suite) => {
    const run = xvcRun(`totals-${suite}`, ['--target', 'reference', '--suite', suite]);
    expect(run.status, run.stderr).toBe(0);
    const total = run.results!.records.length;
    const totals = [...run.stderr.matchAll(/ \d+\/(\d+) results/g)].map((match) => Number(match[1]));
    expect(totals.length).toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set([total]));
    expect(run.stderr).toContain(` 0/${total} results`);
    expect(run.stderr).toContain(` ${total}/${total} results`);
    const printed = [...run.stdout.split('\n')[1]!.matchAll(/(\d+) (\w+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(printed).toBe(total);
  });

  it('cuts a run into shards that together hold every result exactly once', () => {
    const args = ['--target', 'reference', '--target', 'model:linux-2026', '--suite', 'frontend', '--suite', 'device'];
    const whole = xvcRun('whole', args);
    const parts = [1, 2].map((index) => xvcRun(`part-${index}`, [...args, '--shard', `${index}/2`]));
    const ids = (run: { results?: RunResults }) => run.results!.records.map((record) => record.id);
    const [first, second] = parts.map(ids) as [string[], string[]];
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    expect([...first, ...second].sort()).toEqual(ids(whole).sort());
  });

  it('refuses a shard it cannot cut (exit 2, naming --shard and the value) before anything runs', () => {
    const refused: [string, RegExp][] = [
      // Above the bound: a RangeError (exit 3) for 1e11 parts, minutes of assigning for 1e7.
      ['1/99999999999', /--shard 1\/99999999999: N must be from 1 to 10000/],
      ['1/10001', /--shard 1\/10001: N must be from 1 to 10000/],
      ['1/0', /--shard 1\/0: N must be from 1 to 10000/],
      ['0/3', /--shard 0\/3: I must be from 1 to N \(3\)/],
      ['4/3', /--shard 4\/3: I must be from 1 to N \(3\)/],
      ['1/1e9', /--shard must look like I\/N .*, got '1\/1e9'/],
      ['1.5/3', /--shard must look like I\/N .*, got '1\.5\/3'/],
    ];
    for (const [shard, message] of refused) {
      const run = xvcRun(`bad-shard-${shard.replace(/\W/g, '_')}`, ['--target', 'reference', '--suite', 'layouts', '--shard', shard]);
      expect(run.status, `${shard}: ${run.stderr}`).toBe(2);
      expect(run.stderr, shard).toMatch(message);
      expect(existsSync(join(run.out, 'results.jsonl')), shard).toBe(false);
    }
    // The bound itself is a usable count: most parts are empty, one holds the run's only case.
    const widest = xvcRun('widest-shard', ['--target', 'reference', '--suite', 'layouts', '--shard', '1/10000']);
    expect(widest.status, widest.stderr).toBe(0);
  });
});

describe('xvc run keeps what it finds and its output its own', () => {
  it('keeps an adapter crash with the result even when the restarted adapter answers', () => {
    const marker = join(scratch, 'crashed.marker');
    const run = xvcRun('incident', ['--target', 'exec:node fixtures/adapters/crash-first-decide.mjs', '--suite', 'frontend', '--adapter-env', `XVC_TEST_MARKER=${marker}`]);
    expect(existsSync(marker)).toBe(true);
    const withIncident = run.results!.records.filter((record) => record.message.includes('the adapter failed 1 time(s)'));
    expect(withIncident.length, run.stderr).toBeGreaterThan(0);
    expect(withIncident[0]!.message).toContain('exit code 134');
    const evidence = withIncident[0]!.evidence.find((item) => item.kind === 'harness');
    expect(evidence).toMatchObject({ code: 'XVC4011', stderr: expect.stringContaining('assertion failed in decide') });
  });

  it('refuses a second run on an output directory another live run is writing (exit 2)', async () => {
    const out = join(scratch, 'locked');
    const { spawn } = await import('node:child_process');
    const first = spawn(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, '--target', 'reference', '--suite', 'frontend', '--runs', '20000'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let second;
    try {
      // Readiness: the first progress line, written after the lock is taken (a run that ends before
      // it fails the test with its stderr).
      await waitForOutput(first, / 0\/\d+ results/);
      second = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, '--target', 'reference', '--suite', 'frontend'], { cwd: repoRoot, encoding: 'utf8' });
    } finally {
      first.kill('SIGKILL');
    }
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(diagnostics.outDirLocked.code);
    expect(second.stderr).toContain(`pid ${first.pid}`);
  });
});

const qemu = await qemuGate();

describe.skipIf(!qemu.runs)(qemu.title('xvc run refuses a QEMU device property before anything runs'), () => {
  it('exits 2 with QEMU\'s reason, once, and starts no run', () => {
    const run = xvcRun('bad-property', ['--target', 'qemu:virtio-net-pci,bogus=1']);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr.match(/Property 'virtio-net-pci\.bogus' not found/g)).toHaveLength(1);
    expect(existsSync(join(run.out, 'results.jsonl'))).toBe(false);
  });
});

