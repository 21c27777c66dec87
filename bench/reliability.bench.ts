/**
 * The reliability suite's tally (test-support/reliability/hostile-cases.ts, also run by
 * cli/reliability.test.ts): how many hostile cases ran, how many did not hold, how many processes
 * xvc started outlived it, and how many findings did not reach the results. All but the first must be 0.
 */
import { runHostileCases } from '../test-support/reliability/hostile-cases.ts';
import type { BenchValue } from './metric.ts';

/** Runs every hostile case through the real binary and reports the tally. */
export async function run(): Promise<Record<string, BenchValue>> {
  const tally = await runHostileCases();
  const command = 'cli/reliability.test.ts cases through node bin/xvc.js';
  return {
    reliabilityCases: { value: tally.cases, unit: 'count', command },
    reliabilityCasesNotHeld: { value: tally.failed, unit: 'count', goal: { atMost: 0 }, command },
    reliabilitySurvivingChildren: { value: tally.survivors, unit: 'count', goal: { atMost: 0 }, command },
    reliabilityLostFindings: { value: tally.lostFindings, unit: 'count', goal: { atMost: 0 }, command },
  };
}
