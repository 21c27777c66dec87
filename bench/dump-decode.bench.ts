/**
 * `xvc decode` against `lspci -F FILE -vvv` on one 10,000-device `lspci -xxx` file, both run as commands
 * with their output sent to /dev/null, median of a few runs each. `decodeVsLspciRatio` is xvc's wall
 * time over lspci's (below 1: xvc is faster). The devices are the QEMU 7.2 and pciutils captures under
 * fixtures/dumps, cycled under distinct addresses.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDumpTarget } from '../targets/dump.ts';
import { batchAddress, formatLspciHex, type ListedConfigSpace } from '../test-support/pciutils/lspci-text-writer.ts';

const DEVICES = 10_000;
const RUNS = 3;
const COMMAND_TIMEOUT_MS = 300_000;
const root = new URL('..', import.meta.url).pathname;

/** Wall time of one command, output discarded. */
function timeCommand(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve((performance.now() - started) / 1000);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The 10,000-device file: fixture devices cycled. */
async function writeBenchFile(path: string): Promise<void> {
  const sources = await createDumpTarget(join(root, 'fixtures/dumps/qemu-7.2'));
  const extra = await createDumpTarget(join(root, 'fixtures/dumps/pciutils-tests'));
  const samples: Uint8Array[] = [];
  for (const fn of [...(await sources.functions()), ...(await extra.functions())]) {
    if (fn.id.endsWith('.lspci:0000:00:03.0') || fn.id.includes('.txt')) samples.push((await fn.snapshot()).subarray(0, 256));
  }
  if (samples.length === 0) throw new Error('no fixture devices found for the benchmark');
  const devices: ListedConfigSpace[] = Array.from({ length: DEVICES }, (_, i) => ({ address: batchAddress(i), bytes: samples[i % samples.length]! }));
  await writeFile(path, formatLspciHex(devices));
}

/** Runs the comparison. */
export async function run(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'xvc-bench-decode-'));
  try {
    const file = join(dir, 'devices.lspci');
    await writeBenchFile(file);
    const size = (await readFile(file)).length;
    const xvc: number[] = [];
    const lspci: number[] = [];
    const startup: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      xvc.push(await timeCommand(process.execPath, [join(root, 'bin/xvc.js'), 'decode', file]));
      lspci.push(await timeCommand('lspci', ['-F', file, '-vvv']));
      // The same command doing no decoding: how much of xvc's time is starting Node, tsx and the modules.
      startup.push(await timeCommand(process.execPath, [join(root, 'bin/xvc.js'), 'decode', '--help']));
    }
    const xvcSeconds = median(xvc);
    const lspciSeconds = median(lspci);
    return {
      decodeVsLspciRatio: Number((xvcSeconds / lspciSeconds).toFixed(3)),
      decodeXvcSeconds: Number(xvcSeconds.toFixed(3)),
      decodeLspciSeconds: Number(lspciSeconds.toFixed(3)),
      decodeXvcStartupSeconds: Number(median(startup).toFixed(3)),
      decodeBenchFileBytes: size,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
