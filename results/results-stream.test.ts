import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExpectations } from './expectations.ts';
import { readResults } from './read-results.ts';
import { sampleMetadata, sampleRecords } from '../test-support/sample-results.ts';
import { recordsSha256 } from './records-hash.ts';
import { openResultsStream, ResultsStreamClosedError, type RecordInput, type RunMetadataInput } from './results-stream.ts';
import { validateResults } from './validate-results.ts';
import type { ResultRecord } from './result-model.ts';
import { shortRecordId } from './short-record-id.ts';
import { lockOutDir, OutDirLockedError } from '../core/safe-output.ts';

const dirs: string[] = [];
function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-stream-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function metadataInput(): RunMetadataInput {
  const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
  return metadata;
}

/** A record as cli/run's collector produces it: no catalogue info, extra target metadata. */
function collected(): RecordInput {
  return {
    id: 'suites/device/checks/caps.suite.ts#cap_len#PCI-DEV-09',
    requirement: 'PCI-DEV-09',
    target: 'qemu:virtio-blk-pci',
    suite: 'device',
    test: 'cap_len covers the whole capability',
    file: 'suites/device/checks/caps.suite.ts',
    outcome: 'fail',
    message: 'short cap_len',
    evidence: [{ kind: 'bytes', functionId: 'virtio-blk-pci', offset: 0x40, space: 'config', bytes: '09500c01', highlight: [0x42] }],
    durationMs: Number.NaN,
    targetMetadata: { spec: 'qemu:virtio-blk-pci', kind: 'qemu', role: 'device', implementation: 'QEMU', version: '9.2.0' },
  };
}

describe("openResultsStream: the output directory is the run's alone", () => {
  it('replaces a symbolic link planted at results.jsonl instead of writing through it', async () => {
    const dir = outDir();
    const victim = join(dir, 'outside.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'results.jsonl'));
    const stream = openResultsStream(dir, metadataInput());
    stream.append(collected());
    await stream.finish();
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).toContain('"kind":"record"');
  });

  it('refuses a directory another live run is writing, and frees it at finish', async () => {
    const dir = outDir();
    const first = openResultsStream(dir, metadataInput());
    expect(() => openResultsStream(dir, metadataInput())).toThrow(OutDirLockedError);
    first.append(collected());
    await first.finish();
    const second = openResultsStream(dir, metadataInput());
    await second.finish();
  });

  it('uses a lock the caller took (and leaves its release to the caller)', async () => {
    const dir = outDir();
    const lock = lockOutDir(dir);
    const stream = openResultsStream(dir, metadataInput(), { lock });
    expect(stream.lock).toBe(lock);
    await stream.finish();
    expect(() => lockOutDir(dir)).toThrow(OutDirLockedError);
    lock.release();
  });

  it("records the run's expectations in the header line, so a killed run is read with them applied", () => {
    const dir = outDir();
    const loaded = parseExpectations('expectations:\n  - { target: qemu:virtio-blk-pci, requirement: PCI-DEV-09, reason: known }\n', 'xvc-expect.yaml');
    if (!loaded.ok) throw new Error('bad test expectations');
    const stream = openResultsStream(dir, metadataInput(), { expectations: loaded.expectations });
    stream.append(collected());
    const header = JSON.parse(readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')[0]!) as { expectations?: { file: string } };
    expect(header.expectations?.file).toBe('xvc-expect.yaml');
    const read = readResults(dir);
    expect(read.ok && read.results.records.map((record) => record.outcome)).toEqual(['xfail']);
    expect(read.ok && read.results.metadata.partial).toBe(true);
  });
});

describe('openResultsStream', () => {
  it('appends one JSON line per record as it arrives, after a metadata line', () => {
    const dir = outDir();
    const stream = openResultsStream(dir, metadataInput());
    const lines = () => readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0] ?? '')).toMatchObject({ kind: 'run', format: 'xvc-results/1', metadata: { seed: 24301, partial: true } });
    stream.append(collected());
    expect(lines()).toHaveLength(2);
    const line = JSON.parse(lines()[1] ?? '') as { kind: string; record: Record<string, unknown> };
    expect(line.kind).toBe('record');
    // Catalogue info copied in; a duration that is not a number becomes 0.
    expect(line.record).toMatchObject({ requirement: 'PCI-DEV-09', title: 'cap_len covers the whole capability', level: 'MUST', side: 'device', durationMs: 0 });
    expect(line.record.targetMetadata).toBeUndefined();
  });

  it('finishes with a valid results.json and no temporary files', async () => {
    const dir = outDir();
    const stream = openResultsStream(dir, metadataInput());
    for (const record of sampleRecords()) stream.append(record);
    stream.append(collected());
    const results = await stream.finish({ finishedAt: '2026-11-24T08:01:00.000Z', runErrors: [] });
    expect(validateResults(results)).toEqual([]);
    expect(results.metadata.partial).toBe(false);
    expect(results.metadata.finishedAt).toBe('2026-11-24T08:01:00.000Z');
    expect(results.metadata.recordsSha256).toBe(recordsSha256(results.records));
    expect(results.metadata.targets.map((target) => target.spec)).toContain('qemu:virtio-blk-pci');
    // Records naming a mechanism and property fill the matrix, with rows from the catalogue.
    expect(results.mechanismMatrix?.mechanisms.map((mechanism) => mechanism.id)).toEqual(['dt-iommus', 'vendor-data-capability', 'dom0-default']);
    expect(readdirSync(dir).sort()).toEqual(['results.json', 'results.jsonl']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(results);
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8').trimEnd().split('\n').at(-1)).toContain('"kind":"end"');
  });

  it('writes each counterexample with the replay command for its output directory, as it streams and at finish', async () => {
    const dir = outDir();
    const stream = openResultsStream(dir, metadataInput(), { replayFrom: 'xvc-report' });
    for (const record of sampleRecords()) stream.append(record);
    const replayOf = (record: { evidence: { kind: string; replay?: string }[] }) => record.evidence.find((evidence) => evidence.kind === 'counterexample')?.replay;
    const streamed = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as { record: ResultRecord }).record);
    const results = await stream.finish({ finishedAt: '2026-11-24T08:01:00.000Z' });
    const withCounterexample = results.records.filter((record) => replayOf(record) !== undefined);
    expect(withCounterexample.length).toBeGreaterThan(1);
    for (const record of withCounterexample) {
      expect(replayOf(record)).toBe(`xvc replay --from xvc-report --record ${shortRecordId(record.id)}`);
      expect(replayOf(streamed.find((line) => line.id === record.id)!)).toBe(replayOf(record));
    }
    // The matrix's red cells carry the same command as their records.
    const matrix = results.mechanismMatrix!;
    const cell = [...matrix.cells, ...(matrix.targets ?? []).flatMap((target) => target.cells)].find((candidate) => candidate.counterexample !== undefined)!;
    expect(cell.counterexample!.replay).toMatch(/^xvc replay --from xvc-report --record [0-9a-f]{10}$/);
  });

  it('applies expectations at finish and writes results.json beside results.jsonl, nothing else', async () => {
    const dir = outDir();
    const stream = openResultsStream(dir, metadataInput());
    stream.append(collected());
    const loaded = parseExpectations('expectations:\n  - { target: "qemu:*", requirement: PCI-DEV-09, reason: upstream bug }\n', 'e.yaml');
    if (!loaded.ok) throw new Error('fixture expectations do not load');
    const results = await stream.finish({ expectations: loaded.expectations, today: '2026-11-24' });
    expect(results.records[0]?.outcome).toBe('xfail');
    expect(results.expectations).toMatchObject({ file: 'e.yaml', applied: 1 });
    expect(readdirSync(dir).sort()).toEqual(['results.json', 'results.jsonl']);
  });

  it('finishes a stopped run as partial: results.json says so and results.jsonl has no end line', async () => {
    const dir = outDir();
    const stream = openResultsStream(dir, metadataInput());
    stream.append(collected());
    const results = await stream.finish({ partial: true });
    expect(results.metadata.partial).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).metadata.partial).toBe(true);
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).not.toContain('"kind":"end"');
  });

  it('refuses records after finish', async () => {
    const stream = openResultsStream(outDir(), metadataInput());
    await stream.finish();
    expect(() => stream.append(collected())).toThrow(ResultsStreamClosedError);
    await expect(stream.finish()).rejects.toThrow(ResultsStreamClosedError);
  });

  it('keeps a record that breaks the schema as an error record saying why', async () => {
    const stream = openResultsStream(outDir(), metadataInput());
    stream.append({ ...collected(), outcome: 'exploded' as never, evidence: [{ kind: 'bytes', bytes: 'zz' } as never] });
    const results = await stream.finish();
    expect(validateResults(results)).toEqual([]);
    expect(results.records[0]).toMatchObject({ id: collected().id, outcome: 'error', requirement: 'PCI-DEV-09', level: 'MUST' });
    expect(results.records[0]?.message).toMatch(/^result did not match the results schema \(\/outcome /);
    expect(results.records[0]?.evidence[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('"exploded"') });
  });

  it('keeps the stream open and results.jsonl intact when the run metadata would break the schema', async () => {
    const dir = outDir();
    const stream = openResultsStream(dir, { ...metadataInput(), seed: 1.5 });
    stream.append(collected());
    await expect(stream.finish()).rejects.toThrow(/do not match spec\/schema\/results.schema.json/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).toContain('"kind":"record"');
    stream.append(collected());
  });
});

// append hands each line to the OS before it returns, so nothing buffered in the process is lost.
describe('a run killed with SIGKILL', () => {
  it('leaves a partial result with every record appended before the kill', async () => {
    const dir = outDir();
    const script = join(dir, 'run.ts');
    const stream = pathToFileURL(join(import.meta.dirname, 'results-stream.ts')).href;
    const fixture = pathToFileURL(join(import.meta.dirname, '..', 'test-support', 'sample-results.ts')).href;
    writeFileSync(
      script,
      `import { openResultsStream } from ${JSON.stringify(stream)};
import { sampleMetadata, sampleRecords } from ${JSON.stringify(fixture)};
const { recordsSha256, partial, finishedAt, ...metadata } = sampleMetadata();
const out = openResultsStream(${JSON.stringify(join(dir, 'out'))}, metadata);
const records = sampleRecords();
for (let i = 0; i < 5; i++) out.append(records[i]);
process.stdout.write('appended\\n');
setInterval(() => {}, 1000); // stays alive until killed, like a run stuck in a test
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never appended: ${stderr}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('appended')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(6);
    const read = readResults(join(dir, 'out'));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.results.metadata.partial).toBe(true);
    expect(read.results.records).toHaveLength(5);
  }, 60_000);
});
