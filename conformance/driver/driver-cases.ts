/**
 * The driver suite's cases: for every `guest:` target, one case per driver check. Each target is
 * booted once (at most `concurrency` at a time) and its trace judged by every check. A boot that
 * cannot start (no QEMU, no kernel) or that never reaches the guest's init (a panic or hang in the
 * kernel) makes every case of that target a harness error with the console tail; a guest that gets
 * to its init is judged on what its driver did, even if it panicked or hung later (then the tail of
 * the console goes with every failure, and the init-sequence case fails).
 */
import { availableParallelism } from 'node:os';
import { diagnostics } from '../../core/diagnostics.ts';
import type { Evidence } from '../../generated/ts/schema/results.ts';
import { TargetError } from '../../targets/device-target.ts';
import { GUEST_ALL, guestEndingDiagnostic, GuestMarkerName, listGuestSweepTargets, runGuestTarget, transitionalDriver, type GuestBoot, type GuestBootOptions } from '../../targets/guest.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import type { CaseResult, ConformanceCase, SuiteCases } from '../conformance-case.ts';
import { driverCheckName, driverChecks, gradeViolation, type DriverCheck } from './check-table.ts';
import type { BootFacts, DriverCheckInput } from './driver-finding.ts';
import { driverSession } from './driver-session.ts';
import { traceSlice } from './trace-evidence.ts';

/** Options of {@link driverCases}. */
export interface DriverCaseOptions {
  /** Guests booted at once; default the number of cores. */
  concurrency?: number;
  /** Boot every guest before returning (default); false boots each when its first case runs. */
  eager?: boolean;
  /** QEMU binary, cache folder, time limit of each boot. */
  boot?: Omit<GuestBootOptions, 'signal'>;
}

/** What booting one target came to. */
type Judged = { kind: 'error'; result: CaseResult } | { kind: 'ready'; input: DriverCheckInput; boot: GuestBoot };

/** Most characters of console shown in evidence. */
const CONSOLE_EVIDENCE_CHARS = 4000;
const CONSOLE_EVIDENCE_LINES = 40;

function consoleTail(boot: GuestBoot): string {
  const lines = boot.console.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-CONSOLE_EVIDENCE_LINES).join('\n').slice(-CONSOLE_EVIDENCE_CHARS);
}

function endingText(boot: GuestBoot): string {
  const ending = boot.ending;
  switch (ending.kind) {
    case 'powered-off':
      return 'powered off';
    case 'panic':
      return 'the kernel panicked';
    case 'timeout':
      return `no end after ${ending.seconds} s (killed)`;
    case 'trace-limit':
      return `the trace passed ${ending.bytes} bytes (killed)`;
    case 'qemu-exit':
      return `QEMU exited (code ${ending.exitCode ?? '-'}${ending.signal ? `, ${ending.signal}` : ''})`;
    case 'aborted':
      return 'stopped by xvc';
  }
}

function consoleEvidence(boot: GuestBoot): Evidence {
  return { kind: 'text', text: `guest console (last lines; the boot: ${endingText(boot)}):\n${consoleTail(boot)}` };
}

/** Boots `spec` and prepares the checks' input, or the harness error every case of the target gets. */
async function judgeTarget(spec: string, options: DriverCaseOptions, signal: AbortSignal): Promise<Judged> {
  let boot: GuestBoot;
  try {
    boot = await runGuestTarget(spec, { ...options.boot, signal });
  } catch (error) {
    const code = error instanceof TargetError ? error.code : diagnostics.guestStart.code;
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', result: { outcome: 'error', message, evidence: [{ kind: 'harness', code, stderr: message }] } };
  }
  const markers = boot.trace?.markers.map((marker) => marker.name) ?? boot.consoleMarkers.map((marker) => marker.name);
  // xvc's init prints `load`; a user's initramfs may print no marker, and then a driver that wrote
  // device_status shows the guest got far enough to be judged.
  const driverActed = boot.trace?.accesses.some((a) => (a.structure === 'common' || a.structure === 'legacy') && a.op === 'write') ?? false;
  const reachedInit = markers.includes(GuestMarkerName.load) || driverActed;
  if (!boot.trace || !reachedInit) {
    const why = !boot.trace ? 'QEMU wrote no trace' : `the guest never reached its init (${endingText(boot)})`;
    return {
      kind: 'error',
      result: {
        outcome: 'error',
        message: `${spec}: ${why}`,
        evidence: [{ kind: 'harness', code: diagnostics[guestEndingDiagnostic[boot.ending.kind]].code, ...(boot.stderr.trim() !== '' && { stderr: boot.stderr }) }, consoleEvidence(boot)],
        targetMetadata: boot.metadata,
      },
    };
  }
  const facts: BootFacts = {
    reachedInit,
    finished: markers.includes(GuestMarkerName.done),
    ending: boot.ending.kind,
    noDriver: markers.includes(GuestMarkerName.noDriver),
    legacyDriverRequested: boot.spec.legacyDriver,
    ...((await transitionalDriver(boot.kernel.config)) !== undefined && { driverTransitional: (await transitionalDriver(boot.kernel.config))! }),
  };
  // With SeaBIOS the firmware drives block and SCSI devices itself: judge from the guest's init on.
  const loadAt = boot.trace.markers.find((marker) => marker.name === GuestMarkerName.load)?.at ?? 0;
  const session = driverSession(boot.trace, boot.firmware === 'seabios' ? loadAt : 0);
  return { kind: 'ready', boot, input: { trace: boot.trace, session, boot: facts } };
}

/** Runs one check on a judged target. */
function runCheck(check: DriverCheck, judged: Judged, spec: string): CaseResult {
  if (judged.kind === 'error') return judged.result;
  const { input, boot } = judged;
  const abnormal = !input.boot.finished;
  const targetMetadata = boot.metadata;
  const condition = `${input.trace.accesses.length} decoded accesses of ${boot.spec.device} by ${boot.metadata.implementation}; the boot: ${endingText(boot)}`;
  let finding;
  try {
    finding = check.run(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: 'error', message: `the check crashed: ${message}`, evidence: [{ kind: 'harness', code: diagnostics.checkCrashed.code, stderr: error instanceof Error ? (error.stack ?? message) : message }], targetMetadata };
  }
  switch (finding.outcome) {
    case 'pass':
      return { outcome: 'pass', ...((finding.note !== undefined || abnormal) && { note: [finding.note, abnormal ? `judged on the trace up to the guest's end (${endingText(boot)})` : undefined].filter(Boolean).join('; ') }), targetMetadata, condition };
    case 'inapplicable':
      return { outcome: 'inapplicable', note: finding.note, targetMetadata, condition };
    case 'violation': {
      const graded = gradeViolation(check, finding);
      const evidence: Evidence[] = [{ kind: 'text', text: traceSlice(input.trace, finding.at, `driver trace of ${spec} (${graded.id}, ${graded.level})`) }];
      if (abnormal) evidence.push(consoleEvidence(boot));
      return { outcome: graded.fails ? 'fail' : 'warning', message: finding.message, evidence, targetMetadata, condition };
    }
  }
}

/** Expands `guest:all` to the sweep and keeps the other `guest:` specs. */
async function guestSpecs(specs: readonly TargetSpec[], options: DriverCaseOptions): Promise<string[]> {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec.kind !== 'guest') continue;
    if (spec.spec === GUEST_ALL) out.push(...(await listGuestSweepTargets(options.boot?.qemuPath !== undefined ? { qemuPath: options.boot.qemuPath } : {})).map((target) => target.spec));
    else out.push(spec.spec);
  }
  return out;
}

/** Runs `work` for every item, at most `limit` at a time. */
async function bounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * The driver suite's cases for the `guest:` targets among `specs` (others are ignored; `guest:all`
 * becomes the sweep): one case per target and driver check, named `<ids> <title>` in the group of the
 * target spec. With `eager` (the default) every guest is booted before this returns, up to
 * `concurrency` at a time; otherwise a target boots when its first case runs. `close()` stops boots
 * still running.
 */
export async function driverCases(specs: readonly TargetSpec[], options: DriverCaseOptions = {}): Promise<SuiteCases> {
  const controller = new AbortController();
  const targets = await guestSpecs(specs, options);
  const judged = new Map<string, Promise<Judged>>();
  const judgedFor = (spec: string): Promise<Judged> => {
    let promise = judged.get(spec);
    if (!promise) {
      promise = judgeTarget(spec, options, controller.signal);
      judged.set(spec, promise);
    }
    return promise;
  };
  if (options.eager ?? true) await bounded(targets, options.concurrency ?? availableParallelism(), async (spec) => void (await judgedFor(spec)));
  const cases: ConformanceCase[] = targets.flatMap((spec) =>
    driverChecks.map(
      (check): ConformanceCase => ({
        suite: 'driver',
        target: spec,
        groups: [spec],
        name: driverCheckName(check),
        requirements: check.ids,
        run: async () => runCheck(check, await judgedFor(spec), spec),
      }),
    ),
  );
  return {
    cases,
    async close() {
      controller.abort();
      await Promise.allSettled(judged.values());
    },
  };
}
