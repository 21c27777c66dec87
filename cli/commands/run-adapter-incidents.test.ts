/**
 * `xvc run` with an adapter that crashes once and is restarted, through the real binary: the run
 * completes, and the crash is still shown where a vendor looks (the terminal, summary.md, junit.xml),
 * not only in results.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnostics } from '../../core/diagnostics.ts';
import type { RunResults } from '../../results/result-model.ts';
import { jenkinsJunitProblems, parseXml } from '../../test-support/jenkins-junit.ts';
import { xmlWellFormednessProblems } from '../../test-support/xml-well-formed.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-run-incidents-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the real `bin/xvc.js` in a child process. */
function xvc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: repoRoot, timeout: 180_000 }, (error, stdout, stderr) => {
      done({ code: error ? (((error as { code?: unknown }).code as number | null) ?? null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('xvc run with an adapter that crashed once and was restarted', () => {
  it('completes, and shows the crash on the terminal, in summary.md and in junit.xml', async () => {
    const marker = join(scratch, 'crashed.marker');
    const out = join(scratch, 'out');
    const target = 'exec:node fixtures/adapters/crash-first-decide.mjs';
    const run = await xvc(['run', '--out', out, '--runs', '10', '--target', target, '--requirement', 'XEN-INV-0*', '--adapter-env', `XVC_TEST_MARKER=${marker}`]);
    // The premise: the adapter crashed (its marker), xvc recovered, and every result passed.
    expect(existsSync(marker)).toBe(true);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.records.every((record) => record.outcome === 'pass')).toBe(true);
    const crashCode = diagnostics.adapterCrash.code;

    // The terminal: one line naming the target and the crash.
    const lines = run.stdout.split('\n').filter((line) => /adapter incident/i.test(line));
    expect(lines, run.stdout).toHaveLength(1);
    expect(lines[0]).toContain(target);
    expect(lines[0]).toMatch(/1 crash/);

    // summary.md: a section with the target, what happened, the retried request and the stderr tail.
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    const section = summary.slice(summary.indexOf('## Adapter incidents'));
    expect(summary).toContain('## Adapter incidents (1)');
    expect(section).toContain(`\`${target}\``);
    expect(section).toContain(crashCode);
    expect(section).toContain('exit code 134');
    expect(section).toContain('1 of 1 retried request(s) answered by a fresh process');
    expect(section).toContain('fake: assertion failed in decide (first request)');

    // junit.xml: still valid for Jenkins, the crash on the target's suite.
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xmlWellFormednessProblems(xml)).toEqual([]);
    expect(jenkinsJunitProblems(xml)).toEqual([]);
    const suite = parseXml(xml).children.find((element) => element.name === 'testsuite' && element.attributes.name === `xvc ${target}`)!;
    expect(suite).toBeDefined();
    const systemErr = suite.children.find((element) => element.name === 'system-err');
    expect(systemErr?.text).toContain(crashCode);
    expect(systemErr?.text).toContain('exit code 134');
    expect(systemErr?.text).toContain('fake: assertion failed in decide (first request)');
    expect(suite.children.at(-1)?.name).toBe('system-err');
  });
});
