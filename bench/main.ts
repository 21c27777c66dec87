/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<Record<string, number>>`)
 * in this one process and prints the merged results as a table, or with `--json` as one JSON object.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a benchmark module exports. */
export interface BenchModule {
  run(): Promise<Record<string, number>>;
}

/** Benchmark files beside this one, sorted so results come out in a stable order. */
export function benchFiles(dir = import.meta.dirname): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bench.ts'))
    .sort()
    .map((name) => join(dir, name));
}

/** Runs every benchmark and merges their results; a key reported twice is an error, not an overwrite. */
export async function runAll(files = benchFiles()): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
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

function table(results: Record<string, number>): string {
  const width = Math.max(...Object.keys(results).map((key) => key.length), 6);
  const lines = [`${'metric'.padEnd(width)}  value`, `${'-'.repeat(width)}  -----`];
  for (const [key, value] of Object.entries(results)) lines.push(`${key.padEnd(width)}  ${value}`);
  return `${lines.join('\n')}\n`;
}

const json = process.argv.slice(2).includes('--json');
const results = await runAll();
process.stdout.write(json ? `${JSON.stringify(results)}\n` : table(results));
