/**
 * The lines xvc's guest init prints (through /dev/kmsg, so the kernel console writes them at once and
 * they land in QEMU's trace exactly between the accesses around them): `xvc-guest: NAME DETAIL`.
 * The init script and the trace decoder share these names.
 */
import type { GuestPhase } from '../driver-trace.ts';

/** Prefix of every marker line. */
export const GUEST_MARKER_PREFIX = 'xvc-guest: ';

/** Marker names, in the order a successful boot prints them. */
export const GuestMarkerName = {
  /** Before the first module is loaded. */
  load: 'load',
  /** The device reached DRIVER_OK (detail: device, status). */
  ready: 'ready',
  /** The device did not reach DRIVER_OK in time (detail: device, status). */
  stuck: 'stuck',
  /** Device-specific use (block reads, link up, entropy read) is over. */
  exercised: 'exercised',
  /** The driver was unbound from the device. */
  unbound: 'unbound',
  /** The driver was bound again and reached DRIVER_OK. */
  rebound: 'rebound',
  /** The init is about to power off. */
  done: 'done',
  /** A module could not be loaded (detail: module). */
  insmodFailed: 'insmod-failed',
  /** No virtio device appeared after the transport loaded. */
  noDevice: 'no-device',
  /** The kernel has no driver module for the device type (detail: device, id). */
  noDriver: 'no-driver',
} as const;

/** The phase each marker starts. */
export const phaseOfMarker: Readonly<Record<string, GuestPhase>> = {
  [GuestMarkerName.load]: 'probe',
  [GuestMarkerName.ready]: 'exercise',
  [GuestMarkerName.exercised]: 'unbind',
  [GuestMarkerName.unbound]: 'rebind',
  [GuestMarkerName.rebound]: 'settled',
  [GuestMarkerName.done]: 'shutdown',
};
