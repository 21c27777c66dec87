/**
 * `qemuDeviceSeconds`: one QEMU device from start to verdict for the whole device suite (every static
 * and live check), median of a few cycles. `qemuDeviceStartReadStopSeconds`: start QEMU with
 * `virtio-net-pci` behind a PCI Express root port (4 KiB space through ECAM), program its BARs, read the
 * whole configuration space and every implemented BAR (dword reads), stop QEMU.
 * `qemuSweepStartReadSeconds` does start, full config snapshot and stop for every `qemu:all` entry, as
 * many QEMUs at once as there are cores: the sweep's own cost, before any suite runs.
 */
import { deviceCases } from '../conformance/device/index.ts';
import { parseTargetSpec } from '../targets/target-spec.ts';
import { availableParallelism } from 'node:os';
import { createQemuTarget, listQemuSweepTargets, runQemuSweep } from '../targets/qemu.ts';

const RUNS = 5;
const SPEC = 'qemu:virtio-net-pci@pcie';
/** Dwords read per BAR: enough to cover the virtio structures QEMU places in the first 16 KiB. */
const MAX_BAR_BYTES = 16 * 1024;

async function oneCycle(): Promise<{ seconds: number; barBytes: number }> {
  const started = performance.now();
  const target = await createQemuTarget(SPEC);
  let barBytes = 0;
  try {
    const [fn] = await target.functions();
    await fn!.snapshot();
    for (const bar of fn!.bars) {
      if (bar.address === 0 || bar.size === 0) continue;
      const bytes = Math.min(bar.size, MAX_BAR_BYTES);
      for (let offset = 0; offset < bytes; offset += 4) await fn!.readBar!(bar.index, offset, 4);
      barBytes += bytes;
    }
  } finally {
    await target.close();
  }
  return { seconds: (performance.now() - started) / 1000, barBytes };
}

/**
 * One QEMU device, start to verdict: start it, run every static and live check of the device suite
 * on each of its functions, stop it. This is the work `xvc run --target qemu:...` does per device,
 * without the fixed start-up of node, tsx and vitest that a run pays once.
 */
async function deviceSuiteCycle(): Promise<{ seconds: number; verdicts: number }> {
  const started = performance.now();
  const suite = await deviceCases([parseTargetSpec('qemu:virtio-net-pci,disable-legacy=on')]);
  let verdicts = 0;
  try {
    for (const testCase of suite.cases) {
      const result = await testCase.run();
      if (result.outcome === 'error') throw new Error(result.message);
      verdicts++;
    }
  } finally {
    await suite.close();
  }
  return { seconds: (performance.now() - started) / 1000, verdicts };
}

/** Runs the cycles and reports the median. */
export async function run(): Promise<Record<string, number>> {
  const suiteSeconds: number[] = [];
  let verdicts = 0;
  for (let i = 0; i < RUNS; i++) {
    const cycle = await deviceSuiteCycle();
    suiteSeconds.push(cycle.seconds);
    verdicts = cycle.verdicts;
  }
  suiteSeconds.sort((a, b) => a - b);
  const seconds: number[] = [];
  let barBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const cycle = await oneCycle();
    seconds.push(cycle.seconds);
    barBytes = cycle.barBytes;
  }
  seconds.sort((a, b) => a - b);
  const catalogue = await listQemuSweepTargets();
  const sweepStarted = performance.now();
  const outcomes = await runQemuSweep(catalogue.targets, async (target) => (await target.functions())[0]!.snapshot(), { concurrency: availableParallelism() });
  const sweepSeconds = (performance.now() - sweepStarted) / 1000;
  return {
    qemuSweepStartReadSeconds: Number(sweepSeconds.toFixed(3)),
    qemuSweepEntries: outcomes.length,
    qemuSweepEntriesFailed: outcomes.filter((o) => o.error !== undefined).length,
    qemuDeviceSeconds: Number(suiteSeconds[Math.floor(suiteSeconds.length / 2)]!.toFixed(3)),
    qemuDeviceSuiteVerdicts: verdicts,
    qemuDeviceStartReadStopSeconds: Number(seconds[Math.floor(seconds.length / 2)]!.toFixed(3)),
    qemuDeviceBarBytesRead: barBytes,
  };
}
