import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleResults } from '../../test-support/sample-results.ts';
import { recordsSha256 } from '../../results/records-hash.ts';
import type { ResultRecord, RunResults } from '../../results/result-model.ts';
import { qemuAllSizedResults } from '../../test-support/large-results.ts';
import { shortRecordId } from '../../results/short-record-id.ts';
import { run } from './compare.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(records: ResultRecord[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-compare-'));
  dirs.push(dir);
  const results: RunResults = sampleResults();
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify({ ...results, records, metadata: { ...results.metadata, recordsSha256: recordsSha256(records) } }));
  return file;
}

async function compare(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('xvc compare', () => {
  const baseline = () => sampleResults().records;

  it('exits 0 when nothing newly fails, and lists what got fixed', async () => {
    const fixed = baseline().map((record) => (record.requirement === 'PCI-DEV-02' ? { ...record, outcome: 'pass' as const, evidence: [] } : record));
    const result = await compare([write(baseline()), write(fixed)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Fixed (1):\n  PCI-DEV-02 on dump:fixtures/hostile.txt: fail -> pass');
    expect(result.stdout).toContain('0 new failure(s), 1 fixed');
  });

  it('exits 1 on a new failure and prints it as JSON with --json', async () => {
    const broken = baseline().map((record) => (record.requirement === 'PCI-DEV-12' ? { ...record, outcome: 'fail' as const, message: 'gone\u001b[2J' } : record));
    const text = await compare([write(baseline()), write(broken)]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('New failures (1):\n  PCI-DEV-12 on qemu:virtio-net-pci: pass -> fail');
    expect(text.stdout).not.toContain('\u001b');
    const json = await compare([write(baseline()), write(broken), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).newFailures).toEqual([expect.objectContaining({ requirement: 'PCI-DEV-12', before: 'pass', after: 'fail' })]);
  });

  it('reports changed evidence', async () => {
    const changed = baseline().map((record) => (record.requirement === 'XEN-INV-03' ? { ...record, evidence: [{ kind: 'text' as const, text: 'other' }] } : record));
    const result = await compare([write(baseline()), write(changed), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).changedEvidence).toHaveLength(1);
  });

  it('exits 2 on bad usage or an unreadable file', async () => {
    expect((await compare([write(baseline())])).code).toBe(2);
    expect((await compare([write(baseline()), '/nonexistent/results.json'])).code).toBe(2);
    expect((await compare(['--nope', 'a', 'b'])).code).toBe(2);
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

describe('xvc compare through bin/xvc.js', () => {
  it('refuses /dev/zero and a FIFO with exit 2, at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-compare-bin-'));
    dirs.push(dir);
    const fifo = join(dir, 'results.json');
    execFileSync('mkfifo', [fifo]);
    const baseline = write(sampleResults().records);
    for (const other of ['/dev/zero', fifo]) {
      const { code, stderr } = await xvc(['compare', baseline, other]);
      expect(code, other).toBe(2);
      expect(stderr).toContain('not a regular file');
    }
  });

  it('prints only what changed in kind, with short record ids, and counts the other changes of a large run', async () => {
    const records = qemuAllSizedResults().records;
    // NEW: one failure more, one fixed, and every inapplicable check now passes (thousands of changes that are no failure).
    const failing = records.find((record) => record.outcome === 'pass')!;
    const fixed = records.find((record) => record.outcome === 'fail')!;
    const next = records.map((record) =>
      record === failing ? { ...record, outcome: 'fail' as const, message: 'now broken' } : record === fixed ? { ...record, outcome: 'pass' as const, evidence: [] } : record.outcome === 'inapplicable' ? { ...record, outcome: 'pass' as const } : record,
    );
    const { code, stdout } = await xvc(['compare', write(records), write(next)]);
    expect(code).toBe(1);
    const inapplicable = records.filter((record) => record.outcome === 'inapplicable').length;
    expect(inapplicable).toBeGreaterThan(500);
    expect(stdout).toContain(`New failures (1):\n  ${failing.requirement} on ${failing.target}: pass -> fail`);
    expect(stdout).toContain(`[record ${shortRecordId(failing.id)}]`);
    expect(stdout).toContain(`Fixed (1):\n  ${fixed.requirement} on ${fixed.target}: fail -> pass`);
    expect(stdout).toContain(`Other changes (${inapplicable}, not failures or fixes; --json lists them): ${inapplicable} inapplicable -> pass`);
    expect(stdout.split('\n').length).toBeLessThan(20);
  });

  it('finds two runs of the same target and seed into different --out directories unchanged, and a run with another seed changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-compare-runs-'));
    dirs.push(dir);
    const runInto = async (out: string, seed: string): Promise<string> => {
      const { code, stderr } = await xvc(['run', '--target', 'model:linux-2026', '--seed', seed, '--out', join(dir, out)]);
      expect(code, stderr).toBe(0);
      return join(dir, out, 'results.json');
    };
    const first = await runInto('first', '7');
    const second = await runInto('elsewhere/second', '7');
    const reseeded = await runInto('third', '8');
    const records = (JSON.parse(readFileSync(first, 'utf8')) as RunResults).records;
    const withCounterexample = records.filter((record) => record.evidence.some((evidence) => evidence.kind === 'counterexample'));
    // The premise: the runs' replay commands name their own --out, so they differ.
    expect(withCounterexample.length).toBeGreaterThan(0);
    expect(readFileSync(second, 'utf8')).toContain('elsewhere/second');

    const same = await xvc(['compare', first, second, '--json']);
    expect(same.code).toBe(0);
    const comparison = JSON.parse(same.stdout) as { changedEvidence: unknown[]; otherChanges: unknown[]; newFailures: unknown[]; unchanged: number; stillFailing: number };
    expect(comparison.changedEvidence).toEqual([]);
    expect(comparison.otherChanges).toEqual([]);
    expect(comparison.stillFailing + comparison.unchanged).toBe(records.length);
    const text = await xvc(['compare', first, second]);
    expect(text.stdout).not.toContain('Changed evidence');

    // Another seed gives other counterexamples: each is still reported as changed evidence.
    const changed = await xvc(['compare', first, reseeded, '--json']);
    expect(changed.code).toBe(0);
    expect((JSON.parse(changed.stdout) as { changedEvidence: { id: string }[] }).changedEvidence.map((entry) => entry.id).sort()).toEqual(withCounterexample.map((record) => record.id).sort());
  });

  it('prints no control character carried by a record (C1 CSI and bidi overrides included)', async () => {
    const records = sampleResults().records;
    const hostile = records.map((record) => (record.requirement === 'PCI-DEV-12' ? { ...record, outcome: 'fail' as const, message: 'x\u009b2J\u202e', target: 'qemu:\u001b]0;t\u0007' } : record));
    for (const args of [[], ['--json']]) {
      const { code, stdout } = await xvc(['compare', write(records), write(hostile), ...args]);
      expect(code).toBe(1);
      expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    }
  });
});

