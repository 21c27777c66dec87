/**
 * `xvc run --target dump:...` on raw configuration spaces as a user meets it, through the real
 * binary: a dump cut short is never judged conformant, and what the reader found is in the results
 * files, not only on stderr; a file that is no configuration space at all is bad input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../results/result-model.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-dumps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** A real device's sysfs config file, as QEMU 7.2 gave it. */
const netModern = readFileSync(join(repoRoot, 'fixtures', 'dumps', 'qemu-7.2', 'net-modern.cfg256.bin'));

function xvcRun(name: string, target: string): { status: number | null; stdout: string; stderr: string; out: string; results?: RunResults } {
  const out = join(scratch, `out-${name}`);
  const child = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--out', out, '--target', target], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  const file = join(out, 'results.json');
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, out, ...(existsSync(file) && { results: JSON.parse(readFileSync(file, 'utf8')) as RunResults }) };
}

describe('xvc run on a raw configuration space cut short', () => {
  it('does not call the first 65 bytes of a sysfs config file conformant: every record of it names the truncation, and so do summary.md and junit.xml', () => {
    const file = join(scratch, 'cut.bin');
    writeFileSync(file, netModern.subarray(0, 65));
    const run = xvcRun('cut', `dump:${file}`);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).not.toContain('conformant: no unexpected results');
    const records = run.results!.records.filter((record) => record.suite === 'device');
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((record) => record.outcome !== 'error' && record.outcome !== 'fail')).toEqual([]);
    for (const record of records) {
      expect(record.message).toContain(`${file}:0:0: warning: device cut.bin:`);
      expect(record.evidence).toContainEqual({ kind: 'harness', code: 'XVC3108' });
    }
    const summary = readFileSync(join(run.out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^# xvc: ⚠️ incomplete/);
    expect(summary).toMatch(/device cut\\?\.bin: .*offset 0x41/);
    expect(readFileSync(join(run.out, 'junit.xml'), 'utf8')).toMatch(/device cut\.bin: .*offset 0x41/);
  });

  it('does not call an lspci -x text dump (the 64-byte header only) conformant either: its capabilities are not there to judge', () => {
    const file = join(scratch, 'header-only.lspci');
    const hexLines = Array.from({ length: 4 }, (_, line) => `${(line * 16).toString(16).padStart(2, '0')}: ${Array.from(netModern.subarray(line * 16, line * 16 + 16), (byte) => byte.toString(16).padStart(2, '0')).join(' ')}`);
    writeFileSync(file, ['00:03.0 Ethernet controller: Red Hat, Inc. Virtio network device', ...hexLines, ''].join('\n'));
    const run = xvcRun('header-only', `dump:${file}`);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).not.toContain('conformant: no unexpected results');
    const records = run.results!.records.filter((record) => record.suite === 'device');
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((record) => record.outcome === 'pass' || record.outcome === 'inapplicable')).toEqual([]);
    expect(records.every((record) => record.message.includes('lspci -x') && record.message.includes('offset 0x40'))).toBe(true);
  });

  it('still judges the whole files of a directory and records the one cut short instead of dropping it', () => {
    const dir = join(scratch, 'machine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-good.bin'), netModern);
    writeFileSync(join(dir, 'b-cut.bin'), netModern.subarray(0, 100));
    writeFileSync(join(dir, 'c-good.bin'), netModern);
    const run = xvcRun('dir', `dump:${dir}`);
    expect(run.status, run.stderr).toBe(3);
    const records = run.results!.records.filter((record) => record.suite === 'device');
    const of = (id: string) => records.filter((record) => record.test.startsWith(`dump:${dir} > ${id} > `));
    for (const good of ['a-good.bin', 'c-good.bin']) {
      expect(of(good).filter((record) => record.outcome === 'pass').length, good).toBeGreaterThan(0);
      expect(of(good).filter((record) => record.outcome === 'error'), good).toEqual([]);
    }
    const cut = of('b-cut.bin');
    expect(cut.length).toBe(of('a-good.bin').length);
    expect(cut.filter((record) => record.outcome !== 'error' && record.outcome !== 'fail')).toEqual([]);
    expect(cut.every((record) => record.message.includes('device b-cut.bin:') && record.message.includes('offset 0x64'))).toBe(true);
  });

  it('refuses a file shorter than the 64-byte standard header before anything runs, alone or in a directory: exit 2 with the reason', () => {
    const file = join(scratch, 'short.bin');
    writeFileSync(file, netModern.subarray(0, 40));
    const alone = xvcRun('short', `dump:${file}`);
    expect(alone.status, alone.stderr).toBe(2);
    expect(alone.stderr).toContain(`${file}:0:0: error: 40 bytes: fewer than the 64-byte standard header`);
    expect(alone.results).toBeUndefined();
    const dir = join(scratch, 'with-short');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-good.bin'), netModern);
    writeFileSync(join(dir, 'b-short.bin'), netModern.subarray(0, 40));
    const within = xvcRun('with-short', `dump:${dir}`);
    expect(within.status, within.stderr).toBe(2);
    expect(within.stderr).toContain(`${join(dir, 'b-short.bin')}:0:0: error: 40 bytes`);
    expect(within.results).toBeUndefined();
  });
});
