/**
 * The driver suite on real guests. `guestBootToVerdictSeconds`: one guest (a modern virtio-net), from
 * the start of its QEMU to the verdict of every driver check: boot, trace decoding, judging (median of
 * a few cycles; the initramfs is built once and cached, as in any run after the first).
 * `guestSweepSeconds`: the whole `guest:all` sweep, as many guests at once as there are cores, to the
 * last verdict. `driverRequirementsMoved*`: how many of the catalogue's driver requirements the driver
 * suite now decides (all of them were untestable before a real driver was observed), against those
 * that stay untestable.
 */
import { availableParallelism } from 'node:os';
import { driverCases } from '../conformance/driver/index.ts';
import { requirementCatalogue } from '../conformance/requirement-catalogue.ts';
import { cachedGuestKernel, FETCH_COMMAND } from '../targets/guest.ts';
import { parseTargetSpec } from '../targets/target-spec.ts';
import { round, type BenchValue } from './metric.ts';

const CYCLES = 3;
const ONE = 'guest:virtio-net-pci,disable-legacy=on';
/** Goals of issue 13. */
const BOOT_TO_VERDICT_GOAL_S = 10;
const SWEEP_GOAL_S = 180;

async function judge(specs: string[], concurrency: number): Promise<{ seconds: number; cases: number; errors: number; failures: number }> {
  const started = performance.now();
  const suite = await driverCases(specs.map(parseTargetSpec), { concurrency });
  let errors = 0;
  let failures = 0;
  try {
    for (const testCase of suite.cases) {
      const result = await testCase.run();
      if (result.outcome === 'error') errors++;
      if (result.outcome === 'fail') failures++;
    }
  } finally {
    await suite.close();
  }
  return { seconds: (performance.now() - started) / 1000, cases: suite.cases.length, errors, failures };
}

/** Runs the cycles and the sweep. */
export async function run(): Promise<Record<string, BenchValue>> {
  if ((await cachedGuestKernel()) === undefined) throw new Error(`guest.bench needs the guest kernel: run '${FETCH_COMMAND}'`);
  // The first boot builds the initramfs once; it is not what a run after the first pays.
  await judge([ONE], 1);
  const cycles: number[] = [];
  for (let i = 0; i < CYCLES; i++) cycles.push((await judge([ONE], 1)).seconds);
  cycles.sort((a, b) => a - b);
  const sweep = await judge(['guest:all'], availableParallelism());
  const driver = [...requirementCatalogue().values()].filter((requirement) => requirement.side === 'driver');
  const decided = driver.filter((requirement) => requirement.testable === true && requirement.suite === 'driver').length;
  const stillUntestable = driver.filter((requirement) => requirement.testable !== true).length;
  return {
    guestBootToVerdictSeconds: { value: round(cycles[Math.floor(cycles.length / 2)]!), unit: 's', goal: { below: BOOT_TO_VERDICT_GOAL_S }, command: `npx xvc run --suite driver --target ${ONE}` },
    guestSweepSeconds: { value: round(sweep.seconds), unit: 's', goal: { below: SWEEP_GOAL_S }, command: 'npx xvc run --suite driver --target guest:all' },
    guestSweepCases: sweep.cases,
    guestSweepHarnessErrors: { value: sweep.errors, unit: 'count', goal: { atMost: 0 } },
    guestSweepFailures: sweep.failures,
    guestCores: availableParallelism(),
    driverRequirementsDecidedByDriverSuite: decided,
    driverRequirementsStillUntestable: stillUntestable,
    driverRequirementsMovedShare: { value: round(decided / (decided + stillUntestable)), unit: 'x' },
  };
}
