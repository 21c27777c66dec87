/**
 * What a driver check returns, before grading: pass, a violation (with the trace accesses that show
 * it), or inapplicable with the reason. The check table grades a violation from the catalogue level
 * of the statement it rests on (MUST, MUST NOT: fail; SHOULD, SHOULD NOT, notes: warning), so no check
 * decides how bad a violation is.
 */
import type { RequirementId } from '../../generated/ts/requirements.ts';
import { VirtioDeviceStatus } from '../../generated/ts/virtio/virtio-core.ts';
import type { DriverSession } from './driver-session.ts';
import type { DriverTrace } from '../../targets/driver-trace.ts';

/** What the guest's boot showed, besides the trace. */
export interface BootFacts {
  /** The init printed its `load` marker: the kernel booted to userland. */
  readonly reachedInit: boolean;
  /** The init printed `done`: nothing was left hanging. */
  readonly finished: boolean;
  /** How QEMU ended: `powered-off`, `panic`, `timeout`, `trace-limit`, `qemu-exit`. */
  readonly ending: string;
  /** The guest's virtio-pci driver can drive the legacy interface (CONFIG_VIRTIO_PCI_LEGACY); undefined when unknown. */
  readonly driverTransitional?: boolean;
  /** The guest kernel had no driver module for the device type (the `no-driver` marker). */
  readonly noDriver: boolean;
  /** The spec made the driver use the legacy interface (`@legacy`). */
  readonly legacyDriverRequested: boolean;
}

/** Everything a check may look at. */
export interface DriverCheckInput {
  readonly trace: DriverTrace;
  readonly session: DriverSession;
  readonly boot: BootFacts;
}

/** A check's finding. `at` are the trace indices the violation is about (shown in the evidence). */
export type DriverFinding =
  | { readonly outcome: 'pass'; readonly note?: string }
  | { readonly outcome: 'violation'; readonly message: string; readonly at: readonly number[]; readonly requirement?: RequirementId }
  | { readonly outcome: 'inapplicable'; readonly note: string };

/** A pass, optionally saying what was (not) looked at. */
export function passed(note?: string): DriverFinding {
  return note === undefined ? { outcome: 'pass' } : { outcome: 'pass', note };
}

/** A violation shown by the accesses `at`. */
export function violation(message: string, at: readonly number[], requirement?: RequirementId): DriverFinding {
  return { outcome: 'violation', message, at: [...new Set(at)].sort((a, b) => a - b), ...(requirement !== undefined && { requirement }) };
}

/** The rule does not apply to what the driver did. */
export function notApplicable(note: string): DriverFinding {
  return { outcome: 'inapplicable', note };
}

/** `0x…`. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** A status value with its flag names: `0x0b (ACKNOWLEDGE|DRIVER|FEATURES_OK)`. */
export function statusText(value: number): string {
  const names = Object.entries(VirtioDeviceStatus)
    .filter(([, mask]) => (value & mask) !== 0)
    .map(([name]) => name);
  return `${hex(value)}${names.length > 0 ? ` (${names.join('|')})` : ''}`;
}

/** The first finding that is a violation, else pass when any passed, else the first inapplicable (or `whenNone`). */
export function firstViolation(findings: readonly DriverFinding[], whenNone: string): DriverFinding {
  const bad = findings.find((finding) => finding.outcome === 'violation');
  if (bad) return bad;
  if (findings.some((finding) => finding.outcome === 'pass')) return passed();
  return findings.find((finding) => finding.outcome === 'inapplicable') ?? notApplicable(whenNone);
}
