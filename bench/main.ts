/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<Record<string, BenchValue>>`)
 * in this one process and prints the merged results as a table (each figure with its goal, whether
 * it is met, its ratio to a baseline measured in the same run, and the command measured), or with
 * `--json` as one JSON object of the same.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { goalText, reportMetric, type BenchValue, type MetricReport } from './metric.ts';

/** What a benchmark module exports. */
export interface BenchModule {
  run(): Promise<Record<string, BenchValue>>;
}

/** Benchmark files beside this one, sorted so results come out in a stable order. */
export function benchFiles(dir = import.meta.dirname): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bench.ts'))
    .sort()
    .map((name) => join(dir, name));
}

/** Runs every benchmark and merges their results; a key reported twice is an error, not an overwrite. */
export async function runAll(files = benchFiles()): Promise<Record<string, BenchValue>> {
  const results: Record<string, BenchValue> = {};
  for (const file of files) {
    const module = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
    if (typeof module.run !== 'function') throw new Error(`${file} does not export run()`);
    for (const [key, value] of Object.entries(await module.run())) {
      if (key in results) throw new Error(`${file}: result key '${key}' is already reported by another benchmark`);
      results[key] = value;
    }
  }
  return results;
}

function table(results: Record<string, BenchValue>): string {
  const rows = Object.entries(results).map(([key, value]) => {
    const metric: MetricReport = reportMetric(value);
    const shown = metric.unit === 'count' ? String(metric.value) : `${metric.value} ${metric.unit === 'x' ? '×' : metric.unit}`;
    return [
      key,
      shown,
      metric.goal === undefined ? '' : goalText(metric.goal, metric.unit),
      metric.met === undefined ? '' : metric.met ? 'met' : 'NOT MET',
      metric.ratioToBaseline === undefined ? '' : `${metric.ratioToBaseline}× ${metric.baseline!.what}`,
      metric.command ?? '',
    ];
  });
  const header = ['metric', 'value', 'goal', 'met', 'vs baseline', 'command'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return `${[line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')}\n`;
}

const json = process.argv.slice(2).includes('--json');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
// `npm run bench -- commands` runs bench/commands.bench.ts alone (names are matched as substrings).
const results = await runAll(benchFiles().filter((file) => only.length === 0 || only.some((name) => file.includes(name))));
process.stdout.write(json ? `${JSON.stringify(Object.fromEntries(Object.entries(results).map(([key, value]) => [key, reportMetric(value)])))}\n` : table(results));
