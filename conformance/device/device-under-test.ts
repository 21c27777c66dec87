/**
 * A device target made ready for the checks: opened once, every function's snapshot read into a
 * view, virtio functions separated from the others. Opening never throws; a target that cannot be
 * opened keeps the reason, and every check on it becomes a harness error.
 */
import type { TargetMetadata } from '../../targets/target-metadata.ts';
import { openDeviceTarget, type AdapterSettings } from '../../targets/create-target.ts';
import { PCI_TYPE0_HEADER_OFFSETS } from '../../generated/ts/pci/pci-type0-header.ts';
import { TargetError, type DeviceTarget, type FunctionReadProblem, type PciFunction } from '../../targets/device-target.ts';
import { hasDeviceSide } from '../../targets/reference-device.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import type { AdapterIncident } from '../../targets/exec.ts';
import type { CheckInput } from './check-table.ts';
import { notVirtioReason, viewFunction } from './checks/function-view.ts';
import { targetDeclarations } from './target-declarations.ts';
import { liveCommonConfig } from './checks/live-access.ts';

/** One function ready for the checks. */
export interface SuiteFunction {
  fn: PciFunction;
  input: CheckInput;
  /** What the target's reader found wrong with the function's data: every result of it records them. */
  readProblems: readonly FunctionReadProblem[];
}

/** Bytes that tell whether a function is virtio: its vendor and device IDs. */
const ID_BYTES = PCI_TYPE0_HEADER_OFFSETS.deviceId + 2;

/** A target as the suite sees it after opening: its virtio functions, the others, or why it failed. */
export interface DeviceUnderTest {
  spec: string;
  functions: SuiteFunction[];
  /** Functions whose IDs are not virtio (dumps of whole machines), each with why; their checks are inapplicable. */
  otherFunctions: { fn: PciFunction; reason: string; readProblems: readonly FunctionReadProblem[] }[];
  /** What the target said about itself (implementation, version, command line), once opened. */
  metadata?: TargetMetadata;
  /** Opening or reading the target failed. */
  error?: Error;
  /** The adapter incidents since the last call (exec targets only). */
  takeIncidents?: () => readonly AdapterIncident[];
  close(): Promise<void>;
}

/** Opens `spec` and prepares every function; never throws (a failure is kept in `error`). */
export async function openDeviceUnderTest(spec: TargetSpec, adapter: AdapterSettings = {}): Promise<DeviceUnderTest> {
  let target: DeviceTarget | undefined;
  const result: DeviceUnderTest = { spec: spec.spec, functions: [], otherFunctions: [], close: async () => target?.close() };
  try {
    target = await openDeviceTarget(spec, adapter);
    result.metadata = target.metadata;
    const opened = target as Partial<{ takeIncidents(): readonly AdapterIncident[] }>;
    if (typeof opened.takeIncidents === 'function') result.takeIncidents = () => opened.takeIncidents!();
    const functions = await target.functions();
    // A dump that yields nothing but problems (missing file, garbage) is bad input, not an empty machine.
    const problems = (target as { problems?: readonly Error[] }).problems ?? [];
    if (functions.length === 0 && problems.length > 0) {
      const first = problems[0]!;
      throw new TargetError('targetInput', `${spec.spec}: ${problems.map((problem) => problem.message).join('; ')}`, { ...('file' in first ? { file: String(first.file) } : {}) });
    }
    // What the target declares about how its devices are used (grants, an IOMMU, spec versions):
    // conditions of some requirements that no byte of the device can show.
    const declared = targetDeclarations(spec, target);
    for (const fn of functions) {
      const view = viewFunction(fn.id, await fn.snapshot(), { truncated: fn.truncated, claimedVirtio: spec.kind !== 'dump' });
      const notVirtio = notVirtioReason(view);
      const readProblems = fn.readProblems ?? [];
      if (notVirtio !== undefined) {
        // That it is not virtio rests on its IDs alone: bytes missing after them change nothing.
        const idsThere = view.config.length >= ID_BYTES;
        result.otherFunctions.push({ fn, reason: notVirtio, readProblems: readProblems.map((problem) => ({ code: problem.code, located: problem.located, bytesMissing: problem.bytesMissing && !idsThere })) });
        continue;
      }
      const barSizes = fn.barSizes === undefined ? undefined : await fn.barSizes();
      const input: CheckInput = {
        view,
        ...(barSizes === undefined ? {} : { barSizes }),
        declared,
        common: liveCommonConfig(view, fn, barSizes),
        ...(hasDeviceSide(fn) ? { deviceSide: fn.deviceSide } : {}),
        snapshot: () => fn.snapshot(),
        exhaustiveQueues: spec.kind === 'reference',
      };
      result.functions.push({ fn, input, readProblems });
    }
  } catch (error) {
    result.error = error instanceof Error ? error : new Error(String(error));
  }
  return result;
}
