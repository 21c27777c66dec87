/**
 * Wiring between the device suite and targets: opening each target of the plan once, reading every
 * function's snapshot into a view, and turning a check's verdict into the vitest outcome and the
 * task meta the run's reporter reads.
 */
import type { TargetMetadata } from '../../targets/target-metadata.ts';
import { expect, type TestContext } from 'vitest';
import { openDeviceTarget, type AdapterSettings } from '../../targets/create-target.ts';
import { TargetError, type DeviceTarget, type PciFunction } from '../../targets/device-target.ts';
import { hasDeviceSide } from '../../targets/reference-device.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import type { CheckInput } from './check-table.ts';
import { isVirtioCandidate, viewFunction } from './checks/function-view.ts';
import { liveCommonConfig } from './checks/live-access.ts';
import type { CheckVerdict } from './checks/verdict.ts';

/** One function ready for the checks. */
export interface SuiteFunction {
  fn: PciFunction;
  input: CheckInput;
}

/** A target as the suite sees it after opening: its virtio functions, the others, or why it failed. */
export interface SuiteTarget {
  spec: string;
  functions: SuiteFunction[];
  /** Functions whose IDs are not virtio (dumps of whole machines); their checks are inapplicable. */
  otherFunctions: PciFunction[];
  /** Opening or reading the target failed. */
  error?: Error;
  close(): Promise<void>;
}

/**
 * What each opened target said about itself, by spec: tests copy it onto their task so the run can
 * record the implementation, its version and, for QEMU, the command line in the results.
 */
const openedMetadata = new Map<string, TargetMetadata>();

/** Opens `spec` and prepares every function; never throws (a failure is kept in `error`). */
export async function openSuiteTarget(spec: TargetSpec, adapter: AdapterSettings = {}): Promise<SuiteTarget> {
  let target: DeviceTarget | undefined;
  const result: SuiteTarget = { spec: spec.spec, functions: [], otherFunctions: [], close: async () => target?.close() };
  try {
    target = await openDeviceTarget(spec, adapter);
    openedMetadata.set(spec.spec, target.metadata);
    const functions = await target.functions();
    // A dump that yields nothing but problems (missing file, garbage) is bad input, not an empty machine.
    const problems = (target as { problems?: readonly Error[] }).problems ?? [];
    if (functions.length === 0 && problems.length > 0) {
      const first = problems[0]!;
      throw new TargetError('target-input', `${spec.spec}: ${problems.map((problem) => problem.message).join('; ')}`, { ...('file' in first ? { file: String(first.file) } : {}) });
    }
    for (const fn of functions) {
      const view = viewFunction(fn.id, await fn.snapshot(), { truncated: fn.truncated, claimedVirtio: spec.kind !== 'dump' });
      if (!isVirtioCandidate(view)) {
        result.otherFunctions.push(fn);
        continue;
      }
      const barSizes = fn.barSizes === undefined ? undefined : await fn.barSizes();
      const input: CheckInput = {
        view,
        ...(barSizes === undefined ? {} : { barSizes }),
        common: liveCommonConfig(view, fn),
        ...(hasDeviceSide(fn) ? { deviceSide: fn.deviceSide } : {}),
        snapshot: () => fn.snapshot(),
        exhaustiveQueues: spec.kind === 'reference',
      };
      result.functions.push({ fn, input });
    }
  } catch (error) {
    result.error = error instanceof Error ? error : new Error(String(error));
  }
  return result;
}

/** Records a harness error on the task and rethrows it, so the run shows `error`, not `fail`. */
export function recordHarnessError(context: TestContext, error: unknown): never {
  const meta = context.task.meta;
  meta.outcome = 'error';
  if (error instanceof TargetError) {
    meta.note = error.message;
    meta.evidence = [{ kind: 'harness', code: error.code, ...(error.details.stderr === undefined ? {} : { stderr: error.details.stderr }) }];
  } else {
    meta.note = error instanceof Error ? error.message : String(error);
    meta.evidence = [{ kind: 'harness', code: 'check-crashed', stderr: error instanceof Error ? (error.stack ?? error.message) : String(error) }];
  }
  throw error;
}

/**
 * Runs a check inside a test: sets target and suite on the task, then passes, marks the test
 * inapplicable with a note, or fails with the evidence and a message naming the offset.
 */
export async function judge(context: TestContext, target: string, run: () => CheckVerdict | Promise<CheckVerdict>): Promise<void> {
  const meta = context.task.meta;
  meta.target = target;
  meta.suite = 'device';
  const metadata = openedMetadata.get(target);
  if (metadata !== undefined) meta.targetMetadata = metadata;
  let verdict: CheckVerdict;
  try {
    verdict = await run();
  } catch (error) {
    recordHarnessError(context, error);
  }
  switch (verdict.outcome) {
    case 'pass':
      if (verdict.note !== undefined) meta.note = verdict.note;
      return;
    case 'inapplicable':
      meta.outcome = 'inapplicable';
      meta.note = verdict.note;
      return;
    case 'fail':
      meta.evidence = verdict.evidence;
      expect.fail(verdict.message);
  }
}
