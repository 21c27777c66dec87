import { execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleMetadata, sampleRecords, sampleResults } from '../../test-support/sample-results.ts';
import { waitForOutput } from '../../test-support/processes.ts';
import { xmlWellFormednessProblems } from '../../test-support/xml-well-formed.ts';
import { recordsSha256 } from '../../results/records-hash.ts';
import type { RunResults } from '../../results/result-model.ts';
import { openResultsStream } from '../../results/results-stream.ts';
import { diagnostics } from '../../core/diagnostics.ts';
import { lockOutDir, OUT_DIR_LOCK_NAME } from '../../core/safe-output.ts';
import { run } from './report.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-report-cli-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

function writeResults(results: RunResults): string {
  const file = join(tempDir(), 'results.json');
  writeFileSync(file, JSON.stringify(results));
  return file;
}

/** Results of shard `index` of `count`, as `xvc run --shard` writes them. */
function shard(index: number, count: number, records = sampleRecords().filter((_, position) => position % count === index - 1)): string {
  const results = sampleResults();
  return writeResults({ ...results, records, metadata: { ...results.metadata, shard: { index, count }, recordsSha256: recordsSha256(records) } });
}

describe('xvc report --from', () => {
  it('renders each format to standard output', async () => {
    const file = writeResults(sampleResults());
    const junit = await report(['--from', file, '--format', 'junit']);
    expect(junit.code).toBe(0);
    expect(xmlWellFormednessProblems(junit.stdout)).toEqual([]);
    expect((await report(['--from', file, '--format', 'md'])).stdout).toMatch(/^# xvc: /);
    expect((await report(['--from', file, '--format', 'html'])).stdout).toMatch(/^<!doctype html>/);
    expect(JSON.parse((await report(['--from', file, '--format', 'earl'])).stdout)['@graph'].length).toBeGreaterThan(10);
    expect(JSON.parse((await report(['--from', file, '--format', 'json'])).stdout)).toEqual(sampleResults());
  });

  it('writes --out atomically, creating its directory', async () => {
    const out = join(tempDir(), 'deep', 'report.html');
    const result = await report(['--from', writeResults(sampleResults()), '--format', 'html', '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('id="xvc-data"');
  });

  it('renders a killed run from its results.jsonl and says it is partial', async () => {
    const dir = tempDir();
    const { recordsSha256: _hash, partial: _partial, finishedAt: _end, ...metadata } = sampleMetadata();
    const stream = openResultsStream(dir, metadata);
    for (const record of sampleRecords().slice(0, 3)) stream.append(record);
    appendFileSync(join(dir, 'results.jsonl'), '{"kind":"rec');
    const result = await report(['--from', dir, '--format', 'md']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('**Partial results**');
    expect(result.stdout).toContain('**3 results:**');
    expect(result.stderr).toContain('PARTIAL');
    expect((await report(['--from', dir, '--format', 'md', '--check'])).code).toBe(3);
  });

  it('applies expectations again and gates with --check', async () => {
    const dir = tempDir();
    const results = sampleResults();
    const records = results.records.filter((record) => record.outcome !== 'error');
    const file = writeResults({ ...results, records, metadata: { ...results.metadata, recordsSha256: recordsSha256(records) } });
    expect((await report(['--from', file, '--format', 'json', '--check'])).code).toBe(1);
    const expectations = join(dir, 'expect.yaml');
    writeFileSync(
      expectations,
      'expectations:\n  - { target: "*", requirement: PCI-DEV-02, reason: a }\n  - { target: "*", requirement: PCI-DEV-09, reason: b }\n  - { target: "*", requirement: XEN-INV-03, mechanism: "*", reason: c }\n  - { target: "*", requirement: XEN-INV-01, mechanism: "*", reason: d }\n',
    );
    // The sample's expected failures are this file's alone, without the built-in entries about its models.
    const gated = await report(['--from', file, '--format', 'json', '--check', '--expectations', expectations, '--no-builtin-expectations', '--today', '2026-11-24']);
    expect(gated.code).toBe(0);
    expect((JSON.parse(gated.stdout) as RunResults).records.filter((record) => record.outcome === 'xfail')).toHaveLength(4);
  });

  it('exits 2 on bad usage and bad input, with a located message', async () => {
    const file = writeResults(sampleResults());
    expect((await report(['--from', file, '--format', 'pdf'])).code).toBe(2);
    expect((await report(['--from', file])).code).toBe(2);
    expect((await report(['--format', 'md'])).code).toBe(2);
    expect((await report(['--bogus'])).code).toBe(2);
    const broken = join(tempDir(), 'broken.json');
    writeFileSync(broken, '{\n  "format": }');
    const result = await report(['--from', broken, '--format', 'md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${broken}:2:`);
    const badExpectations = join(tempDir(), 'e.yaml');
    writeFileSync(badExpectations, 'expectations:\n  - { target: x, requirement: NOPE-1, reason: r }\n');
    const located = await report(['--from', file, '--format', 'md', '--expectations', badExpectations]);
    expect(located.code).toBe(2);
    expect(located.stderr).toContain(`${badExpectations}:2:`);
  });
});

describe('xvc report --merge', () => {
  it('joins shards into every report format', async () => {
    const out = tempDir();
    const result = await report(['--merge', shard(1, 2), shard(2, 2), '--out', out]);
    expect(result.code).toBe(0);
    for (const name of ['results.json', 'junit.xml', 'summary.md', 'report.html', 'earl.jsonld']) expect(existsSync(join(out, name))).toBe(true);
    const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(merged.records).toHaveLength(sampleRecords().length);
    expect(merged.metadata.partial).toBe(false);
    expect(merged.metadata.shards).toHaveLength(2);
  });

  it('merges a missing shard as partial (exit 3 with --check) and refuses mismatched parts', async () => {
    const out = tempDir();
    const partial = await report(['--merge', shard(1, 3), shard(3, 3), '--out', out, '--format', 'json', '--check']);
    expect(partial.code).toBe(3);
    expect(partial.stderr).toContain('shard(s) 2/3 missing');
    const other = sampleResults();
    const mismatched = writeResults({ ...other, metadata: { ...other.metadata, seed: 1, shard: { index: 2, count: 2 } } });
    const refused = await report(['--merge', shard(1, 2), mismatched, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('seed differs');
    expect((await report(['--merge', shard(1, 2), mismatched, '--out', out, '--allow-mismatch'])).code).toBe(0);
  });

  it('refuses an --out that holds one of its parts (exit 2) and leaves the part as it was', async () => {
    const first = shard(1, 2);
    const second = shard(2, 2);
    const before = readFileSync(first, 'utf8');
    const linked = join(tempDir(), 'link-to-first');
    symlinkSync(dirname(first), linked);
    // The part as a file, as its directory, and an --out that reaches the part's folder through a link.
    for (const [parts, out] of [
      [[first, second], dirname(first)],
      [[dirname(first), second], dirname(first)],
      [[first, second], linked],
    ] as const) {
      const refused = await report(['--merge', ...parts, '--out', out]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(diagnostics.outDirHoldsInput.code);
      expect(refused.stderr).toContain(parts[0]);
      expect(readFileSync(first, 'utf8')).toBe(before);
      expect(readdirSync(dirname(first))).toEqual(['results.json']);
    }
  });

  it('takes the lock of --out as xvc run does: refuses a folder a live process holds, and leaves no lock behind', async () => {
    const held = tempDir();
    const lock = lockOutDir(held);
    try {
      const refused = await report(['--merge', shard(1, 2), shard(2, 2), '--out', held]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(diagnostics.outDirLocked.code);
      expect(existsSync(join(held, 'results.json'))).toBe(false);
    } finally {
      lock.release();
    }
    const merged = await report(['--merge', shard(1, 2), shard(2, 2), '--out', held]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(existsSync(join(held, OUT_DIR_LOCK_NAME))).toBe(false);
  });

  it('needs parts and --out', async () => {
    expect((await report(['--merge', '--out', tempDir()])).code).toBe(2);
    expect((await report(['--merge', shard(1, 1)])).code).toBe(2);
  });
});

const root = new URL('../../', import.meta.url).pathname;

/** Runs the real `bin/xvc.js` in a child process. */
function xvc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${root}bin/xvc.js`, ...args], { cwd: root, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (((error as { code?: unknown }).code as number | null) ?? null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('xvc report through bin/xvc.js', () => {
  it('keeps the built-in expectations when a merge applies a user file again, as the CI workflow does, and drops them only on request', async () => {
    const dir = tempDir();
    const user = join(dir, 'mine.yaml');
    writeFileSync(user, 'expectations:\n  - { target: "dump:*", requirement: PCI-DEV-02, reason: a vendor file that concerns something else }\n');
    const common = ['run', '--target', 'model:linux-2026', '--suite', 'frontend', '--expectations', user];
    const whole = await xvc([...common, '--out', join(dir, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    const wholeResults = JSON.parse(readFileSync(join(dir, 'whole', 'results.json'), 'utf8')) as RunResults;
    const expected = wholeResults.records.filter((record) => record.outcome === 'xfail').length;
    expect(expected).toBeGreaterThan(0);
    for (const index of [1, 2]) expect((await xvc([...common, '--shard', `${index}/2`, '--out', join(dir, `part-${index}`)])).code).toBe(0);
    const parts = [join(dir, 'part-1'), join(dir, 'part-2')];
    const merged = await xvc(['report', '--merge', ...parts, '--out', join(dir, 'merged'), '--expectations', user, '--check']);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    const mergedResults = JSON.parse(readFileSync(join(dir, 'merged', 'results.json'), 'utf8')) as RunResults;
    expect(mergedResults.records.filter((record) => record.outcome === 'xfail')).toHaveLength(expected);
    const bare = await xvc(['report', '--merge', ...parts, '--out', join(dir, 'bare'), '--expectations', user, '--no-builtin-expectations', '--check']);
    expect(bare.code).toBe(1);
  });

  it('refuses to merge into the --out of a live xvc run, and into the folder of one of its own parts', async () => {
    const dir = tempDir();
    const common = ['run', '--target', 'model:linux-2026', '--suite', 'frontend'];
    for (const index of [1, 2]) expect((await xvc([...common, '--shard', `${index}/2`, '--out', join(dir, `part-${index}`)])).code).toBe(0);
    const partFiles = [join(dir, 'part-1', 'results.json'), join(dir, 'part-2', 'results.json')];
    const before = partFiles.map((file) => readFileSync(file, 'utf8'));

    for (const parts of [partFiles, [join(dir, 'part-1', 'results.jsonl'), partFiles[1]!], [join(dir, 'part-1'), join(dir, 'part-2')]]) {
      const intoPart = await xvc(['report', '--merge', ...parts, '--out', join(dir, 'part-1')]);
      expect(intoPart.code, intoPart.stderr).toBe(2);
      expect(intoPart.stderr).toContain(diagnostics.outDirHoldsInput.code);
      expect(partFiles.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
    }

    const busy = join(dir, 'busy');
    const running = spawn(process.execPath, [`${root}bin/xvc.js`, 'run', '--out', busy, '--target', 'reference', '--suite', 'frontend', '--runs', '20000'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      // Readiness: the first progress line, written after the run took its lock (a run that ends
      // before it fails the test with its stderr).
      await waitForOutput(running, / 0\/\d+ results/);
      const merge = await xvc(['report', '--merge', ...partFiles, '--out', busy]);
      expect(merge.code, merge.stderr).toBe(2);
      expect(merge.stderr).toContain(diagnostics.outDirLocked.code);
      expect(merge.stderr).toContain(`pid ${running.pid}`);
      expect(merge.stderr).toContain(`run --out ${busy}`);
      expect(existsSync(join(busy, 'results.json'))).toBe(false);
    } finally {
      running.kill('SIGKILL');
    }
  });

  it('merges parts given as folders inside --out (the merge writes only --out\'s own files) and leaves the parts as they were', async () => {
    const out = tempDir();
    const parts = [join(out, 'p1'), join(out, 'p2')];
    const files = [shard(1, 2), shard(2, 2)];
    files.forEach((file, index) => {
      mkdirSync(parts[index]!);
      writeFileSync(join(parts[index]!, 'results.json'), readFileSync(file));
    });
    const before = parts.map((part) => readFileSync(join(part, 'results.json'), 'utf8'));
    const merged = await xvc(['report', '--merge', ...parts, '--out', out]);
    expect(merged.code, merged.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults).records).toHaveLength(sampleRecords().length);
    expect(parts.map((part) => readFileSync(join(part, 'results.json'), 'utf8'))).toEqual(before);
  });

  it('exits 2 naming --out when it is an existing file, not a folder, and leaves the file as it was', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'mine\n');
    for (const out of [file, join(file, 'below')]) {
      const merged = await xvc(['report', '--merge', shard(1, 2), shard(2, 2), '--out', out]);
      expect(merged.code, merged.stderr).toBe(2);
      expect(merged.stderr).toContain(diagnostics.outDirNotAFolder.code);
      expect(merged.stderr).toContain(out);
      expect(merged.stderr).not.toContain('    at ');
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('leaves no new --out folder behind when a part cannot be read or the parts cannot be merged', async () => {
    const dir = tempDir();
    const missing = await xvc(['report', '--merge', join(dir, 'no-such-part'), shard(2, 2), '--out', join(dir, 'new-out')]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('no-such-part');
    const twice = shard(1, 2);
    const conflict = await xvc(['report', '--merge', twice, twice, '--out', join(dir, 'other-out')]);
    expect(conflict.code, conflict.stderr).toBe(2);
    expect(conflict.stderr).toContain('given twice');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses /dev/zero and a FIFO as results with exit 2, at once', async () => {
    const fifo = join(tempDir(), 'results.json');
    execFileSync('mkfifo', [fifo]);
    for (const from of ['/dev/zero', fifo]) {
      const { code, stderr } = await xvc(['report', '--from', from, '--format', 'md']);
      expect(code, from).toBe(2);
      expect(stderr).toContain('not a regular file');
    }
  });

  it('refuses a part whose shard count xvc run could not have written (exit 2, naming the field) instead of failing inside the merge', async () => {
    const out = tempDir();
    const huge = 99_999_999_999;
    const merged = await xvc(['report', '--merge', shard(1, huge, sampleRecords()), shard(2, huge, []), '--out', out]);
    expect(merged.code, merged.stderr).toBe(2);
    expect(merged.stderr).toMatch(/shard\/count/);
    expect(merged.stderr).not.toContain('XVC9001');
  });

  it('refuses a part whose shard index exceeds its count (no xvc run --shard writes 7/2), naming the file and its shard, also with --allow-mismatch', async () => {
    const out = tempDir();
    const impossible = shard(7, 2, []);
    for (const extra of [[], ['--allow-mismatch']]) {
      const merged = await xvc(['report', '--merge', shard(1, 2), impossible, '--out', out, ...extra]);
      expect(merged.code, merged.stderr).toBe(2);
      expect(merged.stderr).toContain(`${impossible} (shard 7/2)`);
      // No option merges it, so none is offered.
      expect(merged.stderr).not.toContain('--allow-mismatch merges anyway');
      expect(existsSync(join(out, 'results.json'))).toBe(false);
    }
  });

  it('refuses to merge the same part twice, or a run that was not sharded, saying which', async () => {
    const whole = writeResults(sampleResults());
    const out = tempDir();
    const twice = await xvc(['report', '--merge', whole, whole, '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is the same part as');
    const other = sampleResults();
    const unsharded = writeResults({ ...other, metadata: { ...other.metadata, startedAt: '2026-11-25T08:00:00.000Z' } });
    const two = await xvc(['report', '--merge', whole, unsharded, '--out', out]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('is not a shard (its run had no --shard)');
  });

  it('exits 2 with a location for an expectations file of exponential aliases', async () => {
    const file = join(tempDir(), 'bomb.yaml');
    const lines = ['expectations: []', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 12; level++) lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { code, stderr } = await xvc(['report', '--from', writeResults(sampleResults()), '--format', 'md', '--expectations', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3:10 XVC1016`);
    expect(stderr).not.toContain('    at ');
  });

  it('prints no control character that a results file carries, on stderr or stdout', async () => {
    const results = sampleResults();
    const hostile = { ...results, records: results.records.map((record) => ({ ...record, message: 'boom \u001b[2J\u009b31m\u0007' })) };
    const file = writeResults({ ...hostile, metadata: { ...hostile.metadata, recordsSha256: recordsSha256(hostile.records) } });
    const md = await xvc(['report', '--from', file, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('boom');
    expect(md.stdout + md.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const json = await xvc(['report', '--from', file, '--format', 'json']);
    expect(json.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect((JSON.parse(json.stdout) as RunResults).records[0]!.message).toBe('boom \u001b[2J\u009b31m\u0007');
  });
});

