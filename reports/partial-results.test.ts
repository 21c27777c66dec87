import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleMetadata, sampleRecords } from '../test-support/sample-results.ts';
import { readResults } from '../results/read-results.ts';
import { openResultsStream } from '../results/results-stream.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

const dir = mkdtempSync(join(tmpdir(), 'xvc-partial-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reports of a killed run', () => {
  it('render from results.jsonl alone, and say they are partial', () => {
    const { recordsSha256: _hash, partial: _partial, finishedAt: _finished, ...metadata } = sampleMetadata();
    const stream = openResultsStream(dir, metadata);
    for (const record of sampleRecords().slice(0, 3)) stream.append(record);
    const read = readResults(dir);
    if (!read.ok) throw new Error('a killed run must be readable');
    expect(renderMarkdown(read.results)).toContain('**Partial results**');
    expect(renderHtml(read.results)).toContain('"partial":true');
  });
});
