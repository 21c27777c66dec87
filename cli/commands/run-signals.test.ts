/**
 * A run stopped by SIGINT or SIGTERM, through the real binary: it stops its QEMU processes, writes
 * the results it had (marked partial) and every report, and exits with 128 + the signal number.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../results/result-model.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-signals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Pids whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

/** Starts `xvc run`, sends `signal` once the progress line shows the run has started, and waits for the end. */
async function stopRun(name: string, args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; children: number[]; out: string }> {
  const out = join(scratch, name);
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let children: number[] = [];
  let sent = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
    // Readiness: the first progress line is written once every target is open.
    if (!sent && / 0\/\d+ results/.test(stderr)) {
      sent = true;
      children = childrenOf(child.pid!);
      child.kill(signal);
    }
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
  return { code, stderr, children, out };
}

describe('xvc run stopped by a signal', () => {
  it('SIGTERM during a QEMU run: no QEMU survives, partial results and reports are written, exit 143', async () => {
    const run = await stopRun('sigterm', ['--target', 'qemu:virtio-net-pci,disable-legacy=on', '--target', 'qemu:virtio-blk-pci,disable-legacy=on'], 'SIGTERM');
    expect(run.code, run.stderr).toBe(143);
    expect(run.children.length, 'QEMU processes were running when the signal came').toBeGreaterThanOrEqual(2);
    expect(run.children.filter(alive)).toEqual([]);
    expect(run.stderr).toContain('SIGTERM: stopping after the check in flight');
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
