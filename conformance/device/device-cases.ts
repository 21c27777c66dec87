/**
 * The device suite as cases: every row of the check table, once per device target and per PCI
 * function. Targets are opened here, at most `concurrency` at a time (a `qemu:all` sweep must not
 * start fifty QEMUs at once); cases of one target run in order because live checks change its state.
 */
import type { RequirementId } from '../../generated/ts/requirements.ts';
import type { AdapterSettings } from '../../targets/create-target.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import { guarded, unopenedResult, withIncidents, withReadProblems } from '../case-result.ts';
import type { CaseResult, ConformanceCase, SuiteCases } from '../conformance-case.ts';
import { liveRows, rowName, staticRows, type CheckRow } from './check-table.ts';
import type { CheckVerdict } from './checks/verdict.ts';
import { openDeviceUnderTest, type DeviceUnderTest } from './device-under-test.ts';

/** How many function ids a note lists before it stops. */
const LISTED_FUNCTIONS = 20;

/** Options of {@link deviceCases}. */
export interface DeviceCaseOptions {
  adapter?: AdapterSettings;
  /** Targets opened at once. */
  concurrency?: number;
}

/** The result of a check's verdict. */
export function verdictResult(verdict: CheckVerdict): CaseResult {
  switch (verdict.outcome) {
    case 'pass':
      return verdict.note === undefined ? { outcome: 'pass' } : { outcome: 'pass', note: verdict.note };
    case 'inapplicable':
      return { outcome: 'inapplicable', note: verdict.note };
    case 'fail':
    case 'warning':
      // The statement a violation rests on is the record's requirement; the condition says what exactly was tested.
      return {
        outcome: verdict.outcome,
        message: verdict.message,
        evidence: verdict.evidence,
        ...(verdict.condition === undefined ? {} : { condition: verdict.condition }),
        ...(verdict.requirement === undefined ? {} : { requirement: verdict.requirement }),
      };
  }
}

async function openAll(specs: readonly TargetSpec[], options: DeviceCaseOptions): Promise<DeviceUnderTest[]> {
  const opened: DeviceUnderTest[] = new Array(specs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const index = next++;
      opened[index] = await openDeviceUnderTest(specs[index]!, options.adapter ?? {});
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, specs.length)) }, worker));
  return opened;
}

/** Opens the device targets and returns one case per (target, function, check row). */
export async function deviceCases(specs: readonly TargetSpec[], options: DeviceCaseOptions = {}): Promise<SuiteCases> {
  const targets = await openAll(specs, options);
  const rows: readonly CheckRow[] = [...staticRows, ...liveRows];
  const cases: ConformanceCase[] = [];
  const add = (target: DeviceUnderTest, groups: string[], row: CheckRow, exhaustiveQueues: boolean, run: () => Promise<CaseResult>): void => {
    const requirements: readonly RequirementId[] = row.ids;
    cases.push({
      suite: 'device',
      target: target.spec,
      groups,
      name: rowName(row, { exhaustiveQueues }),
      requirements,
      run: async () => {
        const result = withIncidents(await run(), target.takeIncidents);
        return target.metadata === undefined ? result : { ...result, targetMetadata: target.metadata };
      },
    });
  };
  for (const target of targets) {
    const exhaustiveQueues = target.spec === 'reference';
    if (target.error !== undefined) {
      const failure = unopenedResult(target.error, 'device');
      for (const row of rows) add(target, [target.spec], row, exhaustiveQueues, async () => failure);
      continue;
    }
    for (const { fn, input, readProblems } of target.functions) {
      for (const row of rows) add(target, [target.spec, fn.id], row, input.exhaustiveQueues, async () => withReadProblems(await guarded(async () => verdictResult(await row.run(input))), readProblems));
    }
    if (target.otherFunctions.length > 0) {
      const shown = target.otherFunctions.slice(0, LISTED_FUNCTIONS).map(({ fn, reason }) => `${fn.id} (${reason})`);
      const ids = target.otherFunctions.map(({ fn }) => fn.id);
      const note = `not virtio functions: ${shown.join('; ')}${ids.length > LISTED_FUNCTIONS ? `; and ${ids.length - LISTED_FUNCTIONS} more` : ''}`;
      const readProblems = target.otherFunctions.flatMap((other) => other.readProblems);
      for (const row of rows) add(target, [target.spec, `non-virtio functions (${ids.length})`], row, exhaustiveQueues, async () => withReadProblems({ outcome: 'inapplicable', note }, readProblems));
    }
    if (target.functions.length === 0 && target.otherFunctions.length === 0) {
      for (const row of rows) add(target, [target.spec], row, exhaustiveQueues, async () => ({ outcome: 'inapplicable', note: 'the target has no PCI functions' }));
    }
  }
  let closed = false;
  return {
    cases,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(targets.map((target) => target.close()));
    },
  };
}
