import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frontends } from '../../reference-impl/frontend/registry.ts';
import { frontendPropertyById } from '../../conformance/frontend/properties.ts';
import { runPropertyInProcess } from '../../conformance/frontend/run-property.ts';
import { runMechanismCell } from '../../conformance/mechanisms/matrix.ts';
import { run } from './replay.ts';
import { openResultsStream } from '../../results/results-stream.ts';
import { sampleMetadata } from '../../test-support/sample-results.ts';
import { caseFullName } from '../../conformance/conformance-case.ts';
import { layoutCases } from '../../conformance/layouts/index.ts';
import { maxRuns } from '../../conformance/run-plan.ts';

async function replay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

let dir: string;
let resultsFile: string;
let caseFile: string;
let mechanismCaseFile: string;
let failedCase: unknown;
let failedEvidence: Record<string, unknown>;
const recordId = 'suites/frontend.suite.ts#frontend model:linux-6.5 > XEN-INV-02 the initial domain never falls back to itself as backend#XEN-INV-02';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xvc-replay-'));
  // The dom0 fallback case (decision table row 1, column B), which linux-2026 fixes.
  const failed = runPropertyInProcess(frontendPropertyById('dom0-fallback')!, frontends['linux-6.5'], { seed: 1, numRuns: 200 });
  if (failed.kind !== 'fail') throw new Error('linux-6.5 should grant dom0 to itself');
  const evidence = { kind: 'counterexample', scenario: failed.testCase, seed: failed.seed, path: failed.path, replay: 'xvc replay ...' };
  failedCase = failed.testCase;
  failedEvidence = evidence;
  resultsFile = join(dir, 'results.json');
  await writeFile(resultsFile, JSON.stringify({ format: 'xvc-results/1', records: [{ id: recordId, requirement: 'XEN-INV-02', target: 'model:linux-6.5', suite: 'frontend', test: 'x', outcome: 'fail', message: '', property: 'dom0-fallback', evidence: [evidence] }] }));
  caseFile = join(dir, 'case.json');
  await writeFile(caseFile, JSON.stringify(failed.testCase));
  const cell = runMechanismCell('device-register', 'trusted-source', { seed: 1, numRuns: 100 });
  if (cell.kind !== 'fail') throw new Error('device-register should fail trusted source');
  mechanismCaseFile = join(dir, 'mechanism-case.json');
  await writeFile(mechanismCaseFile, JSON.stringify({ scenario: cell.testCase, seed: cell.seed, path: cell.path }));
});

describe('xvc replay', () => {
  it('re-runs a record of a results file: the dom0 self grant still violates (exit 1)', async () => {
    const { code, stdout } = await replay(['--from', resultsFile, '--record', recordId]);
    expect(code).toBe(1);
    expect(stdout).toContain('towards domid 0');
    expect(stdout).toContain('VIOLATION (dom0-fallback-to-self)');
  });

  it('the same case passes on the reference and on linux-2026 (the fallback fix), exit 0', async () => {
    for (const target of ['reference', 'model:linux-2026']) {
      const { code, stdout } = await replay(['--scenario', caseFile, '--target', target, '--property', 'no-self-grant']);
      expect(code, target).toBe(0);
      expect(stdout).toContain('no violation');
    }
  });

  it('replays a mechanism cell with --mechanism or --target mechanism:ID, and a bare scenario', async () => {
    expect((await replay(['--scenario', mechanismCaseFile, '--mechanism', 'device-register', '--property', 'trusted-source'])).code).toBe(1);
    expect((await replay(['--scenario', mechanismCaseFile, '--target', 'mechanism:device-register', '--property', 'trusted-source'])).code).toBe(1);
    expect((await replay(['--scenario', mechanismCaseFile, '--mechanism', 'dt-iommus', '--property', 'trusted-source'])).code).toBe(0);
    const bare = join(dir, 'bare.json');
    const { scenario } = JSON.parse(await (await import('node:fs/promises')).readFile(caseFile, 'utf8')) as { scenario: unknown };
    await writeFile(bare, JSON.stringify(scenario));
    expect((await replay(['--scenario', bare, '--target', 'model:linux-6.5', '--property', 'no-self-grant'])).code).toBe(1);
  });

  it('exits 2 on bad usage and bad input', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ guest: { domid: 'zero' }, devices: [], channels: {} }));
    expect((await replay(['--scenario', broken, '--target', 'reference', '--property', 'no-self-grant'])).code).toBe(2);
    expect((await replay(['--scenario', join(dir, 'missing.json'), '--target', 'reference', '--property', 'no-self-grant'])).code).toBe(2);
    expect((await replay(['--from', resultsFile, '--record', 'nope'])).code).toBe(2);
    expect((await replay(['--scenario', caseFile, '--target', 'reference', '--property', 'nonsense'])).code).toBe(2);
    expect((await replay(['--scenario', caseFile, '--target', 'model:linux-1.0', '--property', 'no-self-grant'])).code).toBe(2);
    expect((await replay(['--scenario', caseFile, '--property', 'no-self-grant'])).code).toBe(2);
    expect((await replay(['--bogus'])).code).toBe(2);
  });
});

const root = new URL('../../', import.meta.url).pathname;

/** Runs the real `bin/xvc.js` in a child process. */
function xvc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${root}bin/xvc.js`, ...args], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (((error as { code?: unknown }).code as number | null) ?? null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('xvc replay through bin/xvc.js: a results file never chooses a program', () => {
  it('refuses to replay an exec: record without a --target of the user, and runs nothing (exit 2)', async () => {
    const marker = join(dir, 'pwned');
    const hostile = join(dir, 'hostile-results.json');
    const target = `exec:/bin/sh -c "touch ${marker}"\u001b]0;title\u0007`;
    await writeFile(hostile, JSON.stringify({ format: 'xvc-results/1', records: [{ id: 'r1', requirement: 'XEN-INV-02', target, suite: 'frontend', test: 'x', outcome: 'fail', message: '', property: 'dom0-fallback', evidence: [failedEvidence] }] }));
    const { code, stderr } = await xvc(['replay', '--from', hostile, '--record', 'r1']);
    expect(code).toBe(2);
    expect(stderr).toContain('xvc never starts a program named in a results file');
    expect(stderr).toContain('--target');
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(existsSync(marker)).toBe(false);
  });

  it('replays the same record against the target the user names', async () => {
    const hostile = join(dir, 'qemu-results.json');
    await writeFile(hostile, JSON.stringify({ format: 'xvc-results/1', records: [{ id: 'r2', requirement: 'XEN-INV-02', target: 'qemu:virtio-net-pci', suite: 'frontend', test: 'x', outcome: 'fail', message: '', property: 'dom0-fallback', evidence: [failedEvidence] }] }));
    const { code, stdout } = await xvc(['replay', '--from', hostile, '--record', 'r2', '--target', 'model:linux-6.5']);
    expect(stdout).toContain('VIOLATION (dom0-fallback-to-self)');
    expect(code).toBe(1);
  });

  it("reads a killed run's results.jsonl (no results.json), from the directory or the file", async () => {
    const out = join(dir, 'killed-run');
    const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
    const stream = openResultsStream(out, metadata);
    stream.append({ id: 'killed-1', requirement: 'XEN-INV-02', target: 'model:linux-6.5', suite: 'frontend', test: 'dom0 fallback', outcome: 'fail', message: 'self grant', evidence: [failedEvidence as never], durationMs: 1, property: 'dom0-fallback' });
    expect(failedCase).toBeDefined();
    for (const from of [out, join(out, 'results.jsonl'), join(out, 'results.json')]) {
      const { code, stdout, stderr } = await xvc(['replay', '--from', from, '--record', 'killed-1']);
      expect(code, `${from}: ${stderr}`).toBe(1);
      expect(stdout).toContain('VIOLATION (dom0-fallback-to-self)');
    }
  });
});


describe('xvc replay through bin/xvc.js: every number a results file gives is checked before use', () => {
  // A real codec check of this xvc, as a run records it when the check fails.
  const layoutCase = layoutCases({ seed: 1, numRuns: 1 }).cases[0]!;
  const layoutRecord = (seed: unknown) => ({
    id: 'layouts-1',
    requirement: layoutCase.requirements[0],
    target: 'xvc:codecs',
    suite: 'layouts',
    test: caseFullName(layoutCase),
    outcome: 'fail',
    message: '',
    evidence: [{ kind: 'counterexample', scenario: null, seed, path: '0', replay: 'xvc replay ...' }],
  });
  const resultsWith = async (name: string, runs: unknown, seed: unknown = 7): Promise<string> => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({ format: 'xvc-results/1', metadata: { seed: 7, runs }, records: [layoutRecord(seed)] }));
    return file;
  };

  it('replays a codec record with the runs and the seed of its file', async () => {
    const { code, stdout, stderr } = await xvc(['replay', '--from', await resultsWith('runs-good', 5), '--record', 'layouts-1']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('(seed 7, 5 runs)');
  });

  it('refuses metadata.runs that is not a whole number from 1 to maxRuns (exit 2 naming the file and the field), never hangs or judges', async () => {
    // Before: -5 gave a VIOLATION (exit 1) of a check that ran nothing, 1.5 ran until killed, 0 'passed'.
    for (const runs of [-5, 0, 1.5, maxRuns + 1, 1e12, '100', null]) {
      const file = await resultsWith(`runs-${String(runs)}`, runs);
      const { code, stdout, stderr } = await xvc(['replay', '--from', file, '--record', 'layouts-1']);
      expect(code, `runs ${String(runs)}: ${stdout}${stderr}`).toBe(2);
      expect(stderr, String(runs)).toContain(`XVC3022 ${file}: metadata.runs must be a whole number from 1 to ${maxRuns}, got ${JSON.stringify(runs)}`);
      expect(stdout, String(runs)).not.toMatch(/VIOLATION|no violation/);
    }
  });

  it('refuses a counterexample seed fast-check cannot take (exit 2 naming the file and the field)', async () => {
    for (const seed of [1.5, 2 ** 40, -(2 ** 31) - 1, '7']) {
      const file = await resultsWith(`seed-${String(seed)}`, 5, seed);
      const { code, stdout, stderr } = await xvc(['replay', '--from', file, '--record', 'layouts-1']);
      expect(code, `seed ${String(seed)}: ${stdout}${stderr}`).toBe(2);
      expect(stderr, String(seed)).toMatch(new RegExp(`XVC3022 ${file}: record \\S+ \\(.*\\): evidence\\.seed must be an integer from -2147483648 to 4294967295, got ${JSON.stringify(JSON.stringify(seed)).slice(1, -1).replace(/[.+]/g, '\\$&')}`));
      expect(stdout, String(seed)).not.toMatch(/VIOLATION|no violation/);
    }
  });

  it("checks the runs of a killed run's results.jsonl the same way", async () => {
    const out = join(dir, 'killed-zero-runs');
    const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
    const stream = openResultsStream(out, { ...metadata, runs: 0 });
    stream.append({ ...(layoutRecord(7) as never as Parameters<typeof stream.append>[0]), durationMs: 1 });
    const { code, stdout, stderr } = await xvc(['replay', '--from', out, '--record', 'layouts-1']);
    expect(code, stdout + stderr).toBe(2);
    expect(stderr).toContain(`metadata.runs must be a whole number from 1 to ${maxRuns}, got 0`);
  });
});
