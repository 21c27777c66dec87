/**
 * The reliability suite in CI: every hostile case of test-support/reliability/hostile-cases.ts must
 * hold, no process xvc started may outlive it, and no finding may be lost. `npm run bench` prints
 * the same tally.
 */
import { describe, expect, it } from 'vitest';
import { hostileCases, runHostileCases } from '../test-support/reliability/hostile-cases.ts';

describe('reliability: what hostile inputs and implementations do to xvc', () => {
  it('holds in every case: exit codes, no survivors, no lost findings', async () => {
    const tally = await runHostileCases();
    const failures = tally.outcomes.filter((outcome) => !outcome.held).map((outcome) => `${outcome.name}: ${outcome.detail}`);
    expect(failures).toEqual([]);
    expect(tally.cases).toBe(hostileCases.length);
    expect(tally.survivors).toBe(0);
    expect(tally.lostFindings).toBe(0);
  }, 600_000);
});
