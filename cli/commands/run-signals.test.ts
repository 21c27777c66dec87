/**
 * A run stopped by SIGINT, SIGTERM or SIGHUP, through the real binary: it stops its QEMU processes, writes
 * the results it had (marked partial) and every report, and exits with 128 + the signal number.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descendantsOf, survivors, waitForDescendants } from '../../test-support/reliability/process-tree.ts';
import type { RunResults } from '../../results/result-model.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-signals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Starts `xvc run` and sends `signal` once it is under way: for a QEMU run once `qemus` QEMU
 * processes exist (readiness by process), otherwise at its first progress line.
 */
async function stopRun(name: string, args: string[], signal: NodeJS.Signals, qemus = 0): Promise<{ code: number | null; stderr: string; children: number[]; out: string }> {
  const out = join(scratch, name);
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const started = new Promise<void>((ready) =>
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (/ 0\/\d+ results/.test(stderr)) ready();
    }),
  );
  child.stdout.resume();
  const closed = new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
  await started;
  const children = qemus > 0 ? await waitForDescendants(child.pid!, (command) => command.includes('qemu-system'), qemus, closed) : descendantsOf(child.pid!);
  child.kill(signal);
  return { code: await closed, stderr, children, out };
}

describe('xvc run stopped by a signal', () => {
  it('SIGTERM during a QEMU run: no QEMU survives, partial results and reports are written, exit 143', async () => {
    const run = await stopRun('sigterm', ['--target', 'qemu:virtio-net-pci,disable-legacy=on', '--target', 'qemu:virtio-blk-pci,disable-legacy=on'], 'SIGTERM', 2);
    expect(run.code, run.stderr).toBe(143);
    expect(run.children.length, 'QEMU processes were running when the signal came').toBeGreaterThanOrEqual(2);
    expect(await survivors(run.children)).toEqual([]);
    expect(run.stderr).toContain('SIGTERM: stopping after the check in flight');
    const results = JSON.parse(readFileSync(join(run.out, 'results.json'), 'utf8')) as RunResults;
    expect(results.metadata.partial).toBe(true);
    // The check in flight finishes before its QEMU is stopped: nothing reads as a crashed QEMU.
    expect(results.records.filter((record) => record.outcome === 'error').map((record) => record.message)).toEqual([]);
    for (const file of ['summary.md', 'junit.xml', 'report.html', 'earl.jsonld']) expect(existsSync(join(run.out, file)), file).toBe(true);
  }, 120_000);

  it('SIGTERM in the middle of qemu:all: the checks in flight finish, so no record reads as a crashed QEMU', async () => {
    const out = join(scratch, 'sigterm-sweep');
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, '--target', 'qemu:all'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const closed = new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
    // Readiness: well into the sweep, with QEMU processes answering checks.
    const streamed = join(out, 'results.jsonl');
    const recorded = (): number => (existsSync(streamed) ? readFileSync(streamed, 'utf8').split('\n').length : 0);
    while (recorded() < 300) await new Promise((tick) => setTimeout(tick, 50));
    const qemus = await waitForDescendants(child.pid!, (command) => command.includes('qemu-system'), 1, closed);
    child.kill('SIGTERM');
    expect(await closed, stderr).toBe(143);
    expect(await survivors(qemus)).toEqual([]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.metadata.partial).toBe(true);
    expect(results.records.filter((record) => record.outcome === 'error').map((record) => record.message)).toEqual([]);
  }, 120_000);

  it('SIGHUP (the terminal went away): exit 129 with the results so far and every report', async () => {
    const run = await stopRun('sighup', ['--target', 'reference', '--suite', 'frontend', '--runs', '20000'], 'SIGHUP');
    expect(run.code, run.stderr).toBe(129);
    const results = JSON.parse(readFileSync(join(run.out, 'results.json'), 'utf8')) as RunResults;
    expect(results.metadata.partial).toBe(true);
    for (const file of ['summary.md', 'junit.xml', 'report.html', 'earl.jsonld']) expect(existsSync(join(run.out, file)), file).toBe(true);
  }, 120_000);

  it('SIGINT during a long property run: exit 130 with the results so far', async () => {
    const run = await stopRun('sigint', ['--target', 'reference', '--suite', 'frontend', '--runs', '20000'], 'SIGINT');
    expect(run.code, run.stderr).toBe(130);
    const results = JSON.parse(readFileSync(join(run.out, 'results.json'), 'utf8')) as RunResults;
    expect(results.metadata.partial).toBe(true);
    expect(readFileSync(join(run.out, 'summary.md'), 'utf8')).toContain('Partial results');
  }, 120_000);
});
