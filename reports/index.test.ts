import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../results/result-model.ts';
import { sampleResults } from '../test-support/sample-results.ts';
import { isReportFormat, removeReports, renderReport, reportFileNames, reportFormats, writeReports } from './index.ts';

const scratch = mkdtempSync(join(tmpdir(), 'xvc-reports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('report formats', () => {
  it('are json, junit, md, html and earl, each with its own file', () => {
    expect([...reportFormats]).toEqual(['json', 'junit', 'md', 'html', 'earl']);
    expect(reportFileNames).toEqual({ json: 'results.json', junit: 'junit.xml', md: 'summary.md', html: 'report.html', earl: 'earl.jsonld' });
    for (const format of reportFormats) expect(isReportFormat(format)).toBe(true);
    for (const name of ['xml', 'JSON', '', 'pdf']) expect(isReportFormat(name), name).toBe(false);
  });

  it('render in the form their name says', () => {
    const results = sampleResults();
    expect(JSON.parse(renderReport('json', results))).toEqual(JSON.parse(JSON.stringify(results)));
    expect(renderReport('junit', results)).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites/);
    expect(renderReport('html', results)).toMatch(/^<!doctype html>/);
    expect(JSON.parse(renderReport('earl', results))).toHaveProperty('@context');
    expect(renderReport('md', results)).toMatch(/^# /);
  });
});

describe('writeReports', () => {
  it('writes results.json and every other report into the directory, and says where', () => {
    const out = join(scratch, 'all');
    const written = writeReports(out, sampleResults());
    expect(written).toEqual(Object.fromEntries(reportFormats.map((format) => [format, join(out, reportFileNames[format])])));
    expect(readdirSync(out).sort()).toEqual(Object.values(reportFileNames).sort());
    expect(readFileSync(written.md, 'utf8')).toBe(renderReport('md', sampleResults()));
  });

  it('always writes results.json, the source of every other report, even when asked for one format', () => {
    const out = join(scratch, 'md-only');
    expect(Object.keys(writeReports(out, sampleResults(), ['md'])).sort()).toEqual(['json', 'md']);
    expect(existsSync(join(out, 'results.json'))).toBe(true);
  });

  it('writes nothing from results that break their own schema', () => {
    const out = join(scratch, 'broken');
    const broken = { ...sampleResults(), format: 'other' } as unknown as RunResults;
    expect(() => writeReports(out, broken)).toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('removeReports', () => {
  it('removes the reports of an earlier run and nothing else, present or not', () => {
    const out = join(scratch, 'earlier');
    writeReports(out, sampleResults(), ['md', 'junit']);
    writeFileSync(join(out, 'results.jsonl'), '{}\n');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    removeReports(out);
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'results.jsonl']);
    expect(() => removeReports(out)).not.toThrow();
  });
});
