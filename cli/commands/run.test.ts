/**
 * `xvc run` as a user meets it: the real binary in a child process, its exit codes and the files it
 * leaves behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnostics } from '../../core/diagnostics.ts';
import { lockOutDir } from '../../core/safe-output.ts';
import { validateResults } from '../../results/validate-results.ts';
import type { RunResults } from '../../results/result-model.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function xvc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('xvc run', () => {
  it('exits 2 with usage on an unknown option, and on an unknown target kind', () => {
    const unknownOption = xvc(['run', '--no-such-option']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain('usage: xvc run');
    const badTarget = xvc(['run', '--target', 'floppy:a']);
    expect(badTarget.status).toBe(2);
    expect(badTarget.stderr).toContain("unknown target kind 'floppy'");
  });

  it('exits 2 naming --out when it is an existing file, not a folder, and leaves the file as it was', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'mine\n');
    for (const out of [file, join(file, 'below')]) {
      const result = xvc(['run', '--suite', 'layouts', '--target', 'reference', '--runs', '1', '--out', out]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(diagnostics.outDirNotAFolder.code);
      expect(result.stderr).toContain(out);
      expect(result.stderr).not.toContain('    at ');
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('refuses an --out a live xvc report --merge holds, calling it what it is, not a run', () => {
    const out = join(scratch, 'merging');
    const merge = ['xvc', 'report', '--merge', 'p1', 'p2', '--out', out];
    const lock = lockOutDir(out, merge);
    try {
      const result = xvc(['run', '--suite', 'layouts', '--target', 'reference', '--runs', '1', '--out', out]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(diagnostics.outDirLocked.code);
      expect(result.stderr).toContain(merge.join(' '));
      // The holder is named by its command line; the message calls no merge a run.
      expect(result.stderr).not.toContain('another xvc run');
      expect(result.stderr).not.toContain('that run is gone');
      expect(result.stderr).toContain('in use by another xvc process');
    } finally {
      lock.release();
    }
  });

  it('exits 2 with a located error for a malformed expectations file', () => {
    const file = join(scratch, 'bad-expectations.yaml');
    writeFileSync(file, 'expectations:\n  - target: reference\n    reason: missing requirement\n');
    const result = xvc(['run', '--suite', 'layouts', '--expectations', file, '--out', join(scratch, 'unused')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad-expectations\.yaml:2:\d+ XVC1002/);
  });

  it('writes schema-valid results, the jsonl stream and every report, and exits 0 when conformant', () => {
    const out = join(scratch, 'layouts');
    const result = xvc(['run', '--suite', 'layouts', '--target', 'reference', '--seed', '7', '--runs', '20', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    for (const file of ['results.json', 'results.jsonl', 'summary.md', 'junit.xml', 'report.html', 'earl.jsonld']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(validateResults(results)).toEqual([]);
    expect(results.metadata.seed).toBe(7);
    expect(results.metadata.runs).toBe(20);
    expect(results.metadata.partial).toBe(false);
    expect(results.records.length).toBeGreaterThan(0);
    expect(results.records.every((record) => record.outcome === 'pass')).toBe(true);
    const jsonl = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(jsonl.length).toBe(results.records.length + 2);
  });
});
