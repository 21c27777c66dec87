/**
 * The driver suite under vitest: one test per case of the engine (conformance/driver), for the
 * `guest:` targets of the current plan. Under `npm test` (the default plan names no guest) it judges
 * one guest of its own, a modern virtio-net device, so that every driver check meets a real Linux
 * driver once; that needs the Debian kernel of `npx xvc guest-kernel fetch`. Without it, CI fails
 * every case with that command in the message; elsewhere the suite is skipped under a test that says so.
 */
import { test } from 'vitest';
import { driverCases } from '../conformance/driver/index.ts';
import { targetsFor } from '../conformance/suite-cases.ts';
import { cachedGuestKernel, FETCH_COMMAND } from '../targets/guest.ts';
import { builtinExpectations, currentPlan } from './support/suite-context.ts';
import { declareCases } from './support/case-test.ts';

/** The guest `npm test` judges when the plan has none. */
const DEFAULT_GUEST = 'guest:virtio-net-pci,disable-legacy=on';

const provided = currentPlan();
const hasGuest = provided.targets.some((target) => target.startsWith('guest:'));
const plan = hasGuest ? provided : { ...provided, targets: [DEFAULT_GUEST] };

if (!hasGuest && process.env.CI === undefined && (await cachedGuestKernel()) === undefined) {
  test.skip(`driver suite skipped: no guest kernel in the cache (run '${FETCH_COMMAND}'; CI fails instead of skipping)`, () => {});
} else {
  // Booted while the file is collected (not in the first test, which a slow boot would time out).
  declareCases(await driverCases(targetsFor(plan, 'driver'), { concurrency: 2 }), builtinExpectations(plan));
}
