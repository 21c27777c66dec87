/**
 * How the benchmarks time real commands: xvc as `npm pack` ships it, started as a child process,
 * wall time and peak memory measured from outside.
 *
 * - One process (xvc, lspci): a Python wrapper starts it and reports the wall time around the child
 *   alone and `getrusage(RUSAGE_CHILDREN).ru_maxrss`, the kernel's exact peak resident set (Node
 *   cannot read a child's rusage).
 * - A process tree (`xvc run --target qemu:all` and its QEMUs): /proc is sampled while it runs and
 *   the resident sets of the whole tree are summed, so the peak is what the machine had to hold at
 *   once, not the largest single process.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.ts';
import { packPackage, type PackedPackage } from '../test-support/packed-package.ts';

/** One timed run of a command. */
export interface CommandRun {
  seconds: number;
  /** Peak resident set in bytes (of the process, or of the whole tree for {@link timeProcessTree}). */
  peakRssBytes: number;
  status: number | null;
  stderr: string;
}

/** The packed xvc, unpacked and ready to run, and the temporary folder to remove afterwards. */
export interface UnpackedXvc {
  /** `node <bin>` starts it, as the installed `xvc` command does. */
  bin: string;
  packed: PackedPackage;
  workDir: string;
  dispose(): void;
}

/**
 * Packs this tree (building dist/ in a copy), unpacks the tarball and gives it the checkout's
 * node_modules: what `npm install` of the tarball would run, minus the download.
 */
export function unpackXvc(): UnpackedXvc {
  const workDir = mkdtempSync(join(tmpdir(), 'xvc-bench-package-'));
  const packed = packPackage(workDir);
  const unpacked = join(workDir, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked]);
  symlinkSync(join(packageRoot, 'node_modules'), join(unpacked, 'package', 'node_modules'), 'dir');
  return { bin: join(unpacked, 'package', 'bin', 'xvc.js'), packed, workDir, dispose: () => rmSync(workDir, { recursive: true, force: true }) };
}

const RUSAGE_WRAPPER = `
import json, resource, subprocess, sys, time
start = time.perf_counter()
child = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "maxRssKiB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "status": child.returncode, "stderr": child.stderr[-4000:].decode("utf8", "replace")}))
`;

/** Runs `argv` once, output discarded: its wall time and peak resident set. */
export function timeCommand(argv: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): CommandRun {
  const result = spawnSync('python3', ['-c', RUSAGE_WRAPPER, ...argv], { cwd: options.cwd ?? packageRoot, encoding: 'utf8', timeout: options.timeoutMs ?? 600_000 });
  if (result.status !== 0) throw new Error(`timing ${argv.join(' ')} failed: ${result.stderr || result.error?.message}`);
  const measured = JSON.parse(result.stdout) as { seconds: number; maxRssKiB: number; status: number | null; stderr: string };
  return { seconds: measured.seconds, peakRssBytes: measured.maxRssKiB * 1024, status: measured.status, stderr: measured.stderr };
}

/** Resident set of each process, with its parent, from /proc (processes that vanish are skipped). */
function processTable(): Map<number, { parent: number; rssBytes: number }> {
  const table = new Map<number, { parent: number; rssBytes: number }>();
  const pageBytes = 4096;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { parent: Number(fields[1]), rssBytes: Number(fields[21]) * pageBytes });
    } catch {
      // exited between listing and reading
    }
  }
  return table;
}

/** Sum of the resident sets of `root` and every descendant, and how many processes that is. */
function treeRss(root: number): { bytes: number; processes: number } {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, entry] of table) children.set(entry.parent, [...(children.get(entry.parent) ?? []), pid]);
  let bytes = 0;
  let processes = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const entry = table.get(pid);
    if (entry === undefined) continue;
    bytes += entry.rssBytes;
    processes++;
    pending.push(...(children.get(pid) ?? []));
  }
  return { bytes, processes };
}

/**
 * Runs `argv` once, output discarded, sampling the resident sets of it and all its descendants
 * every `sampleMs`: wall time, the peak of their sum, and the most processes alive at once.
 */
export function timeProcessTree(argv: readonly string[], options: { cwd?: string; timeoutMs?: number; sampleMs?: number } = {}): Promise<CommandRun & { peakProcesses: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd ?? packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let peakRssBytes = 0;
    let peakProcesses = 0;
    const sample = (): void => {
      if (child.pid === undefined) return;
      const { bytes, processes } = treeRss(child.pid);
      peakRssBytes = Math.max(peakRssBytes, bytes);
      peakProcesses = Math.max(peakProcesses, processes);
    };
    const sampler = setInterval(sample, options.sampleMs ?? 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 900_000);
    child.once('error', (error) => {
      clearInterval(sampler);
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (status) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({ seconds: (performance.now() - started) / 1000, peakRssBytes, peakProcesses, status, stderr });
    });
  });
}

/** The median of `values` (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `argv` `runs` times: the median wall time, the largest peak resident set, and every run's status. */
export function timeRepeatedly(argv: readonly string[], runs: number, options: { cwd?: string; timeoutMs?: number } = {}): { seconds: number; peakRssBytes: number; failures: CommandRun[] } {
  const measured = Array.from({ length: runs }, () => timeCommand(argv, options));
  return {
    seconds: median(measured.map((run) => run.seconds)),
    peakRssBytes: Math.max(...measured.map((run) => run.peakRssBytes)),
    failures: measured.filter((run) => run.status !== 0),
  };
}
