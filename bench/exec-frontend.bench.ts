/**
 * Throughput of an exec: frontend target: decide requests pipelined through the Python example
 * adapter (examples/adapters/python-frontend), every message validated on both sides of the pipe.
 * Run alone with `npx tsx bench/exec-frontend.bench.ts`; `npm run bench -- --json` collects it.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { createExecFrontendTarget } from '../targets/exec.ts';
import { scenarioArbitrary } from '../targets/exec/scenario-arbitrary.ts';
import { propertySeed } from '../test-support/fast-check-seed.ts';

const adapter = fileURLToPath(new URL('../examples/adapters/python-frontend/adapter.py', import.meta.url));

/** Scenarios decided in the measured run (after a warm-up of a tenth as many). */
const SCENARIOS = 20_000;

/** Runs the benchmark; `execScenariosPerSecond` is decided scenarios per wall-clock second. */
export async function run(): Promise<Record<string, number>> {
  const scenarios = fc.sample(scenarioArbitrary, { numRuns: 1000, seed: propertySeed });
  const target = await createExecFrontendTarget(['python3', adapter], { window: 128 });
  try {
    const decideAll = async (count: number): Promise<void> => {
      const pending: Promise<unknown>[] = [];
      for (let index = 0; index < count; index++) pending.push(target.decide(scenarios[index % scenarios.length]!));
      await Promise.all(pending);
    };
    await decideAll(SCENARIOS / 10);
    const started = process.hrtime.bigint();
    await decideAll(SCENARIOS);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (target.errors.length > 0) throw new Error(`adapter errors during the benchmark: ${target.errors[0]!.error.message}`);
    return { execScenariosPerSecond: Math.round(SCENARIOS / seconds) };
  } finally {
    await target.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await run()));
}
