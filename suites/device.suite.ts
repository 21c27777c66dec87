/**
 * The device suite: every static and live check of check-table.ts, once per device target of the
 * run and per PCI function. Targets are opened at collection (top-level await) so tests can be
 * declared per function; each test's name starts with its requirement ids.
 */
import { afterAll, describe } from 'vitest';
import { conformance } from './support/requirement-test.ts';
import { currentPlan, targetsFor } from './support/suite-context.ts';
import { liveRows, rowName, staticRows, type CheckRow } from '../conformance/device/index.ts';
import { inapplicable } from '../conformance/device/index.ts';
import { judge, openSuiteTarget, recordHarnessError, type SuiteTarget } from '../conformance/device/index.ts';
import { availableParallelism } from 'node:os';

const plan = currentPlan();
const adapter = {
  ...(plan.strictProtocol !== undefined && { strictProtocol: plan.strictProtocol }),
  ...(plan.adapterEnv !== undefined && { env: plan.adapterEnv }),
};
/** Opens targets at most `limit` at a time (a qemu:all sweep must not start fifty QEMUs at once). */
async function openAll(specs: ReturnType<typeof targetsFor>, limit: number): Promise<SuiteTarget[]> {
  const opened: SuiteTarget[] = new Array(specs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const index = next++;
      opened[index] = await openSuiteTarget(specs[index]!, adapter);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, specs.length) }, worker));
  return opened;
}

const targets = await openAll(targetsFor(plan, 'device'), availableParallelism());
const rows: readonly CheckRow[] = [...staticRows, ...liveRows];
/** How many function ids a note lists before it stops. */
const LISTED_FUNCTIONS = 20;

afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});

for (const target of targets) {
  const exhaustiveQueues = target.spec === 'reference';
  if (target.error !== undefined) {
    const error = target.error;
    describe(target.spec, () => {
      for (const row of rows) {
        conformance(row.ids, rowName(row, { exhaustiveQueues }), (context) => {
          context.task.meta.target = target.spec;
          context.task.meta.suite = 'device';
          recordHarnessError(context, error);
        });
      }
    });
    continue;
  }
  for (const { fn, input } of target.functions) {
    describe(`${target.spec} ${fn.id}`, () => {
      for (const row of rows) {
        conformance(row.ids, rowName(row, input), (context) => judge(context, target.spec, () => row.run(input)));
      }
    });
  }
  if (target.otherFunctions.length > 0) {
    const ids = target.otherFunctions.map((fn) => fn.id);
    const listed = ids.length > LISTED_FUNCTIONS ? `${ids.slice(0, LISTED_FUNCTIONS).join(', ')}, ...` : ids.join(', ');
    describe(`${target.spec} non-virtio functions (${ids.length})`, () => {
      for (const row of rows) {
        conformance(row.ids, rowName(row, { exhaustiveQueues }), (context) =>
          judge(context, target.spec, () => inapplicable(`not virtio functions (vendor/device IDs): ${listed}`)),
        );
      }
    });
  }
  if (target.functions.length === 0 && target.otherFunctions.length === 0) {
    describe(target.spec, () => {
      for (const row of rows) {
        conformance(row.ids, rowName(row, { exhaustiveQueues }), (context) => judge(context, target.spec, () => inapplicable('the target has no PCI functions')));
      }
    });
  }
}
