import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleMetadata, sampleRecords, sampleResults } from '../test-support/sample-results.ts';
import { readResults } from './read-results.ts';
import { recordsSha256 } from './records-hash.ts';
import { openResultsStream } from './results-stream.ts';
import { verdict } from './verdict.ts';

const dirs: string[] = [];
function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-read-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A run killed after `count` records: results.jsonl only, nothing finished. */
function killedRun(count: number): string {
  const dir = outDir();
  const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
  const stream = openResultsStream(dir, metadata);
  for (const record of sampleRecords().slice(0, count)) stream.append(record);
  return dir;
}

describe('readResults', () => {
  it('reads a finished run from results.json or its directory', async () => {
    const dir = outDir();
    const { recordsSha256: _hash, partial: _partial, ...metadata } = sampleMetadata();
    const stream = openResultsStream(dir, metadata);
    for (const record of sampleRecords()) stream.append(record);
    const written = await stream.finish();
    for (const path of [join(dir, 'results.json'), dir]) {
      const read = readResults(path);
      expect(read.ok && read.source).toBe('json');
      if (read.ok) expect(read.results).toEqual(written);
    }
  });

  it('rebuilds a partial result from the results.jsonl of a killed run with a torn last line', () => {
    const dir = killedRun(4);
    appendFileSync(join(dir, 'results.jsonl'), '{"kind":"record","record":{"id":"half');
    const read = readResults(join(dir, 'results.json'));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.source).toBe('jsonl');
    expect(read.results.metadata.partial).toBe(true);
    expect(read.results.records.map((record) => record.requirement)).toEqual(['PCI-DEV-02', 'PCI-DEV-09', 'XEN-INV-03', 'XEN-INV-01']);
    expect(read.results.metadata.recordsSha256).toBe(recordsSha256(read.results.records));
    expect(read.warnings.join('\n')).toMatch(/did not finish; 4 result\(s\)[^]*last line of results\.jsonl was cut short/);
    expect(verdict(read.results)).toBe(3);
  });

  it('reads a run killed before its first record as an empty partial result', () => {
    const read = readResults(join(killedRun(0), 'results.jsonl'));
    expect(read.ok && read.results.records.length === 0 && read.results.metadata.partial).toBe(true);
  });

  it('skips a corrupt line in the middle with a note instead of giving up', () => {
    const dir = killedRun(2);
    const file = join(dir, 'results.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 0, 'garbage', '{"kind":"record","record":{"id":"x"}}');
    writeFileSync(file, lines.join('\n'));
    const read = readResults(file);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.results.records).toHaveLength(2);
    expect(read.results.metadata.notes?.join('\n')).toMatch(/line 3 of results\.jsonl is not JSON[^]*line 4 of results\.jsonl: record does not match the schema/);
  });

  it('locates bad input: not JSON, not results, schema violations, missing files', () => {
    const dir = outDir();
    writeFileSync(join(dir, 'a.json'), '{\n  "format": "xvc-results/1",\n  oops\n}');
    const syntax = readResults(join(dir, 'a.json'));
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect([syntax.error.code, syntax.error.line, syntax.error.column]).toEqual(['XVC5002', 3, 3]);
    writeFileSync(join(dir, 'b.json'), '{"hello": 1}');
    const notResults = readResults(join(dir, 'b.json'));
    expect(!notResults.ok && notResults.error.code).toBe('XVC5004');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ ...sampleResults(), records: [{ id: 1 }] }));
    const schema = readResults(join(dir, 'c.json'));
    expect(!schema.ok && schema.error.code).toBe('XVC5003');
    const missing = readResults(join(dir, 'none.json'));
    expect(!missing.ok && missing.error.code).toBe('XVC5001');
    writeFileSync(join(dir, 'd.jsonl'), '{"kind":"record"}\n');
    const headless = readResults(join(dir, 'd.jsonl'));
    expect(!headless.ok && headless.error.code).toBe('XVC5004');
  });

  it('warns when the records do not match the recorded hash', () => {
    const dir = outDir();
    const results = sampleResults();
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results, records: results.records.slice(1) }));
    const read = readResults(join(dir, 'results.json'));
    expect(read.ok && read.warnings.join()).toContain('do not match metadata.recordsSha256');
  });

  it('reads a killed run, not the complete-looking results.json an earlier run left in the same directory', async () => {
    const dir = outDir();
    const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
    const first = openResultsStream(dir, metadata);
    for (const record of sampleRecords()) first.append(record);
    await first.finish();
    const second = openResultsStream(dir, metadata);
    second.append(sampleRecords()[0]!);
    const read = readResults(dir);
    expect(read.ok && [read.source, read.results.metadata.partial, read.results.records.length]).toEqual(['jsonl', true, 1]);
  });

  it('refuses a FIFO and /dev/zero at once, as unreadable input', () => {
    const fifo = join(outDir(), 'results.jsonl');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      const read = readResults(path);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.error).toMatchObject({ code: 'XVC5001', file: path, detail: expect.stringMatching(/not a regular file/) });
    }
  });

  it('reads a large killed run completely: every record, the torn last line dropped', () => {
    const dir = killedRun(1);
    const file = join(dir, 'results.jsonl');
    const [, recordLine] = readFileSync(file, 'utf8').split('\n');
    const record = JSON.parse(recordLine!) as { record: { id: string } };
    const lines: string[] = [];
    for (let index = 0; index < 20_000; index++) lines.push(JSON.stringify({ ...record, record: { ...record.record, id: `${record.record.id}#${index}` } }));
    appendFileSync(file, `${lines.join('\n')}\n{"kind":"rec`);
    const read = readResults(file);
    expect(read.ok && read.results.records.length).toBe(20_001);
    expect(read.ok && read.warnings.join('\n')).toMatch(/last line of results\.jsonl was cut short/);
  });
});

