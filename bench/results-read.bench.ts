/**
 * Reading the results.jsonl of a killed run of 240,000 records (the size that never rendered before
 * the reader was made linear): `readResults` in this process (seconds, lines per second), and
 * `xvc report --from FILE --format md` and `--format html` as commands under /usr/bin/time (wall
 * seconds, peak RSS). Before record sorting was made linear too, md took 87 s and 1.7 GB on the
 * shared 2-core machine, html 41 s and 2.5 GB.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '../results/read-results.ts';
import { resultsFormat } from '../results/result-model.ts';
import { toResultRecord } from '../results/results-stream.ts';
import { sampleMetadata, sampleRecords } from '../test-support/sample-results.ts';

const RECORDS = 240_000;
const root = new URL('..', import.meta.url).pathname;

function timed(command: string, args: string[]): Promise<{ seconds: number; peakMiB: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'XVC_TIME %e %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const match = /XVC_TIME ([\d.]+) (\d+)/.exec(stderr);
      if (!match) return reject(new Error(`no timing from /usr/bin/time: ${stderr}`));
      resolve({ seconds: Number(match[1]), peakMiB: Number(match[2]) / 1024, code });
    });
  });
}

/** A killed run's results.jsonl: a header and RECORDS record lines, no end line. */
function writeKilledRun(file: string): void {
  const { recordsSha256: _hash, ...metadata } = sampleMetadata();
  const records = sampleRecords().map((record) => toResultRecord({ ...record, durationMs: record.durationMs }));
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${JSON.stringify({ kind: 'run', format: resultsFormat, metadata: { ...metadata, partial: true } })}\n`);
    const batch: string[] = [];
    for (let index = 0; index < RECORDS; index++) {
      const record = records[index % records.length]!;
      batch.push(JSON.stringify({ kind: 'record', record: { ...record, id: `${record.id}#${index}` } }));
      if (batch.length === 10_000) writeSync(fd, `${batch.splice(0).join('\n')}\n`);
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Runs both measurements. */
export async function run(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-bench-results-'));
  try {
    const file = join(dir, 'results.jsonl');
    writeKilledRun(file);
    const started = performance.now();
    const read = readResults(file);
    const seconds = (performance.now() - started) / 1000;
    if (!read.ok || read.results.records.length !== RECORDS) throw new Error(`read ${read.ok ? read.results.records.length : read.error.message} records`);
    const report = await timed(process.execPath, [join(root, 'bin/xvc.js'), 'report', '--from', file, '--format', 'md']);
    const page = await timed(process.execPath, [join(root, 'bin/xvc.js'), 'report', '--from', file, '--format', 'html', '--out', join(dir, 'report.html')]);
    return {
      resultsJsonlRecords: RECORDS,
      resultsJsonlReadSeconds: Number(seconds.toFixed(2)),
      resultsJsonlLinesPerSecond: Math.round(RECORDS / seconds),
      resultsJsonlReportSeconds: Number(report.seconds.toFixed(2)),
      resultsJsonlReportPeakRssMiB: Math.round(report.peakMiB),
      resultsJsonlReportHtmlSeconds: Number(page.seconds.toFixed(2)),
      resultsJsonlReportHtmlPeakRssMiB: Math.round(page.peakMiB),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
