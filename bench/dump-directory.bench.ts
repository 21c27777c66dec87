/**
 * A directory of 10,000 dumps (the documented bound): how fast the reader gets through it and how much
 * memory it needs. Two measurements:
 * - `xvc decode DIR --json` as a command (output to /dev/null) under /usr/bin/time: wall time, files per
 *   second and peak RSS of the whole process;
 * - the streaming reader in this process (`streamDumpFunctions`, what a run consumes), files per second
 *   and the growth of this process's peak RSS while it reads.
 * The files are the QEMU 7.2 captures (raw 256/4096-byte binaries and lspci -xxx/-xxxx text), cycled.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamDumpFunctions } from '../targets/dump.ts';

const FILES = 10_000;
const root = new URL('..', import.meta.url).pathname;
const fixtures = join(root, 'fixtures/dumps/qemu-7.2');

/** Runs a command under /usr/bin/time; resolves with wall seconds and peak RSS in MiB. */
function timed(command: string, args: string[]): Promise<{ seconds: number; peakMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'XVC_TIME %e %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('exit', () => {
      const match = /XVC_TIME ([\d.]+) (\d+)/.exec(stderr);
      if (!match) return reject(new Error(`no timing from /usr/bin/time: ${stderr}`));
      resolve({ seconds: Number(match[1]), peakMiB: Number(match[2]) / 1024 });
    });
  });
}

/** Writes the directory of `FILES` dumps. */
function makeDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-bench-dumpdir-'));
  const sources = readdirSync(fixtures).filter((name) => name.endsWith('.bin') || name.endsWith('.lspci'));
  for (let index = 0; index < FILES; index++) {
    const source = sources[index % sources.length]!;
    copyFileSync(join(fixtures, source), join(dir, `${String(index).padStart(5, '0')}-${source}`));
  }
  return dir;
}

/** Runs both measurements. */
export async function run(): Promise<Record<string, number>> {
  const dir = makeDirectory();
  try {
    const decode = await timed(process.execPath, [join(root, 'bin/xvc.js'), 'decode', dir, '--json']);
    const before = process.resourceUsage().maxRSS / 1024;
    const started = performance.now();
    let functions = 0;
    for (const item of streamDumpFunctions(dir)) if (item.kind === 'function') functions += 1;
    const seconds = (performance.now() - started) / 1000;
    const after = process.resourceUsage().maxRSS / 1024;
    if (functions !== FILES) throw new Error(`read ${functions} functions from ${FILES} files`);
    return {
      dumpDirectoryFiles: FILES,
      dumpDirectoryDecodeSeconds: Number(decode.seconds.toFixed(2)),
      dumpDirectoryDecodeFilesPerSecond: Math.round(FILES / decode.seconds),
      dumpDirectoryDecodePeakRssMiB: Math.round(decode.peakMiB),
      dumpDirectoryStreamFilesPerSecond: Math.round(FILES / seconds),
      dumpDirectoryStreamPeakRssGrowthMiB: Math.round(after - before),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
