/**
 * What a user waits for (issue 12's table), as wall time of the real command: xvc as `npm pack`
 * ships it (compiled in a copy of this tree, unpacked, started with `node bin/xvc.js` in a child
 * process), median of several runs, output discarded, each figure with its goal and, where one
 * exists, a baseline measured in the same run:
 *
 * - `xvc --help` and `xvc decode FILE`: against the same command run from the TypeScript sources
 *   through tsx, which is how every start ran before dist/;
 * - `xvc decode` of 12,000 devices (the QEMU 7.2 captures of fixtures/dumps/qemu-7.2 cycled under
 *   distinct addresses): against `lspci -F FILE -vvv` on the same file, wall time and peak memory;
 * - one QEMU device, the default run, `qemu:all` (wall time, and the resident memory of xvc and its
 *   QEMUs together, sampled), and re-rendering a report from results.json.
 *
 * Rows that need QEMU or lspci are left out when the machine lacks them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.ts';
import { createDumpTarget } from '../targets/dump.ts';
import { batchAddress, formatLspciHex } from '../test-support/pciutils/lspci-text-writer.ts';
import { runConcurrency } from '../cli/run/run-concurrency.ts';
import { timeProcessTree, timeRepeatedly, unpackXvc, type UnpackedXvc } from './measure-command.ts';
import { round, type BenchValue } from './metric.ts';

const DEVICES = 12_000;
const MB = 1e6;
const node = process.execPath;
const oneDump = join(packageRoot, 'fixtures', 'dumps', 'qemu-7.2', 'net-modern.cfg256.lspci');
const qemuDevice = 'qemu:virtio-net-pci,disable-legacy=on';

function available(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** `xvc ARGS` from the TypeScript sources of this checkout through tsx, as bin/xvc.js ran before dist/. */
function fromSources(args: readonly string[]): string[] {
  return [node, '--import', 'tsx', '--input-type=module', '-e', `import { main } from ${JSON.stringify(join(packageRoot, 'cli', 'main.ts'))}; process.exitCode = await main(process.argv.slice(1));`, '--', ...args];
}

/** Throws with the command's stderr when a run did not end as a command of its kind should. */
function expectStatus(what: string, failures: ReadonlyArray<{ status: number | null; stderr: string }>, allowed: readonly number[] = [0]): void {
  const bad = failures.find((run) => run.status === null || !allowed.includes(run.status));
  if (bad) throw new Error(`${what} exited ${bad.status}: ${bad.stderr.slice(-2000)}`);
}

/** The 12,000-device file: every device of the QEMU 7.2 captures, cycled under distinct addresses. */
async function writeManyDevices(path: string): Promise<void> {
  const folder = join(packageRoot, 'fixtures', 'dumps', 'qemu-7.2');
  const samples: Uint8Array[] = [];
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.lspci')).sort()) {
    for (const fn of await (await createDumpTarget(join(folder, name))).functions()) samples.push(await fn.snapshot());
  }
  if (samples.length === 0) throw new Error(`no lspci captures in ${folder}`);
  writeFileSync(path, formatLspciHex(Array.from({ length: DEVICES }, (_, index) => ({ address: batchAddress(index), bytes: samples[index % samples.length]! }))));
}

function startup(xvc: UnpackedXvc, results: Record<string, BenchValue>): void {
  const help = timeRepeatedly([node, xvc.bin, '--help'], 9, { cwd: xvc.workDir });
  expectStatus('xvc --help', help.failures);
  const helpSources = timeRepeatedly(fromSources(['--help']), 5);
  expectStatus('xvc --help from the sources', helpSources.failures);
  results.helpSeconds = { value: round(help.seconds), unit: 's', goal: { below: 0.15 }, command: 'xvc --help', baseline: { what: 'from TS sources via tsx', value: round(helpSources.seconds) } };
  results.helpPeakMB = { value: round(help.peakRssBytes / MB, 1), unit: 'MB', command: 'xvc --help' };

  const decode = timeRepeatedly([node, xvc.bin, 'decode', oneDump], 9, { cwd: xvc.workDir });
  expectStatus('xvc decode', decode.failures);
  const decodeSources = timeRepeatedly(fromSources(['decode', oneDump]), 5);
  expectStatus('xvc decode from the sources', decodeSources.failures);
  results.decodeOneSeconds = { value: round(decode.seconds), unit: 's', goal: { below: 0.15 }, command: 'xvc decode fixtures/dumps/qemu-7.2/net-modern.cfg256.lspci', baseline: { what: 'from TS sources via tsx', value: round(decodeSources.seconds) } };
}

async function decodeMany(xvc: UnpackedXvc, results: Record<string, BenchValue>): Promise<void> {
  const file = join(xvc.workDir, 'devices-12000.lspci');
  await writeManyDevices(file);
  const ours = timeRepeatedly([node, xvc.bin, 'decode', file], 3, { cwd: xvc.workDir });
  expectStatus('xvc decode (12,000 devices)', ours.failures);
  const command = `xvc decode FILE (${DEVICES} devices)`;
  results.decodeManySeconds = { value: round(ours.seconds), unit: 's', command };
  results.decodeManyPeakMB = { value: round(ours.peakRssBytes / MB, 1), unit: 'MB', goal: { below: 100 }, command };
  if (!available('lspci')) return;
  const lspci = timeRepeatedly(['lspci', '-F', file, '-vvv'], 3, { cwd: xvc.workDir });
  expectStatus('lspci -F FILE -vvv', lspci.failures);
  results.decodeManyLspciSeconds = { value: round(lspci.seconds), unit: 's', command: 'lspci -F FILE -vvv' };
  results.decodeManyLspciPeakMB = { value: round(lspci.peakRssBytes / MB, 1), unit: 'MB', command: 'lspci -F FILE -vvv' };
  results.decodeManyVsLspci = { value: round(ours.seconds / lspci.seconds), unit: 'x', goal: { below: 0.5 }, command: `${command} / lspci -F FILE -vvv (wall)` };
  results.decodeManyMemoryVsLspci = { value: round(ours.peakRssBytes / lspci.peakRssBytes, 2), unit: 'x', command: `${command} / lspci -F FILE -vvv (peak RSS)` };
}

async function runs(xvc: UnpackedXvc, results: Record<string, BenchValue>): Promise<void> {
  const defaultOut = join(xvc.workDir, 'default-run');
  const defaultRun = timeRepeatedly([node, xvc.bin, 'run', '--out', defaultOut], 3, { cwd: xvc.workDir });
  // 0 conformant, 1 unexpected results: either is a finished run; 2 and 3 are not.
  expectStatus('xvc run', defaultRun.failures, [0, 1]);
  results.defaultRunSeconds = { value: round(defaultRun.seconds), unit: 's', goal: { below: 3 }, command: 'xvc run' };
  results.defaultRunPeakMB = { value: round(defaultRun.peakRssBytes / MB, 1), unit: 'MB', command: 'xvc run' };

  const rerender = (from: string, name: string, command: string): void => {
    const report = timeRepeatedly([node, xvc.bin, 'report', '--from', from, '--format', 'html', '--out', join(xvc.workDir, `${name}.html`)], 5, { cwd: xvc.workDir });
    expectStatus(command, report.failures);
    results[name] = { value: round(report.seconds), unit: 's', goal: { below: 0.5 }, command };
  };
  rerender(join(defaultOut, 'results.json'), 'reportDefaultRunSeconds', 'xvc report --from results.json --format html (default run)');

  if (!available('qemu-system-x86_64')) return;
  const device = timeRepeatedly([node, xvc.bin, 'run', '--target', qemuDevice, '--out', join(xvc.workDir, 'qemu-device')], 3, { cwd: xvc.workDir });
  expectStatus(`xvc run --target ${qemuDevice}`, device.failures, [0, 1]);
  results.qemuDeviceRunSeconds = { value: round(device.seconds), unit: 's', goal: { below: 3 }, command: `xvc run --target ${qemuDevice}` };

  const allOut = join(xvc.workDir, 'qemu-all');
  const all = await timeProcessTree([node, xvc.bin, 'run', '--target', 'qemu:all', '--out', allOut], { cwd: xvc.workDir, sampleMs: 100 });
  expectStatus('xvc run --target qemu:all', [all], [0, 1]);
  results.qemuAllSeconds = { value: round(all.seconds, 2), unit: 's', goal: { below: 20 }, command: 'xvc run --target qemu:all' };
  results.qemuAllPeakMB = { value: round(all.peakRssBytes / MB, 1), unit: 'MB', command: 'xvc run --target qemu:all (xvc and its QEMUs, summed)' };
  // Bounded: never more QEMUs alive than the run may start at once on this machine, plus xvc itself.
  results.qemuAllPeakProcesses = { value: all.peakProcesses, unit: 'count', goal: { atMost: runConcurrency(['qemu:all']) + 1 }, command: 'xvc run --target qemu:all (processes alive at once)' };
  rerender(join(allOut, 'results.json'), 'reportQemuAllSeconds', 'xvc report --from results.json --format html (qemu:all)');
}

/** Runs every row; the packed copy is removed afterwards. */
export async function run(): Promise<Record<string, BenchValue>> {
  const xvc = unpackXvc();
  try {
    const results: Record<string, BenchValue> = {
      packageFiles: { value: xvc.packed.files.length, unit: 'count', command: 'npm pack' },
      packageMB: { value: round(xvc.packed.size / MB, 2), unit: 'MB', command: 'npm pack (compressed)' },
      packageUnpackedMB: { value: round(xvc.packed.unpackedSize / MB, 2), unit: 'MB', command: 'npm pack (unpacked)' },
    };
    startup(xvc, results);
    await decodeMany(xvc, results);
    await runs(xvc, results);
    return results;
  } finally {
    xvc.dispose();
  }
}
