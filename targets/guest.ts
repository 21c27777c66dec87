/**
 * The `guest:` driver target: a real Linux kernel's virtio drivers, booted under QEMU TCG with the
 * device under test, observed through QEMU's trace and decoded into a {@link DriverTrace}.
 * `guest:DEVICE[,props][@pcie][@legacy]` (guest/guest-spec.ts) and `guest:all` (guest/guest-sweep.ts).
 */
import { TargetError } from './device-target.ts';
import { bootGuest, type GuestBoot, type GuestBootOptions } from './guest/guest-boot.ts';
import { parseGuestDeviceSpec, type GuestDeviceSpec } from './guest/guest-spec.ts';
import { guestSweepTargets, type GuestSweepTarget } from './guest/guest-sweep.ts';
import { listQemuSweepTargets } from './qemu.ts';

export type { DeviceStatusEvent, DriverTrace, GuestMarker, GuestPhase, TraceAccess, TraceBar, TraceCapability, TraceDevice, TraceInterrupt, TraceMsix, TraceStructure } from './driver-trace.ts';
export { consoleMarkers, DEFAULT_GUEST_TIMEOUT_MS, guestEndingDiagnostic, reachedDriverOk, type GuestBoot, type GuestBootOptions, type GuestEnding } from './guest/guest-boot.ts';
export { formatGuestDeviceSpec, parseGuestDeviceSpec, type GuestDeviceSpec, type GuestPlacement } from './guest/guest-spec.ts';
export {
  cachedGuestKernel,
  fetchGuestKernel,
  FETCH_COMMAND,
  GuestKernelFetchError,
  GuestKernelMissingError,
  guestCacheDir,
  resolveGuestKernel,
  type GuestKernel,
  type GuestKernelChoice,
} from './guest/guest-kernel.ts';
export { GUEST_MARKER_PREFIX, GuestMarkerName } from './guest/guest-markers.ts';
export { GUEST_SWEEP_DEVICES, guestSweepTargets, type GuestSweepTarget } from './guest/guest-sweep.ts';
export { kernelConfigOption, transitionalDriver } from './guest/kernel-config.ts';

/** The spec of the sweep. */
export const GUEST_ALL = 'guest:all';

/**
 * Boots the guest of `spec` (`guest:...`) once. Throws `TargetError`: `targetInput` for a bad spec
 * or unusable user files, `targetUnavailable` when QEMU or the kernel is missing (the message says
 * how to fetch it). Everything that happens once the guest runs is in the returned {@link GuestBoot}.
 */
export async function runGuestTarget(spec: string | GuestDeviceSpec, options: GuestBootOptions = {}): Promise<GuestBoot> {
  const parsed = typeof spec === 'string' ? parseGuestDeviceSpec(spec) : spec;
  if (parsed instanceof TargetError) throw parsed;
  return bootGuest(parsed, options);
}

/** The `guest:all` sweep for the QEMU xvc would use: the variants whose device types that QEMU has. */
export async function listGuestSweepTargets(options: { qemuPath?: string } = {}): Promise<GuestSweepTarget[]> {
  const catalogue = await listQemuSweepTargets(options);
  const available = new Set<string>();
  for (const target of catalogue.targets) {
    available.add(target.device);
    if (target.variant === 'transitional') available.add(`${target.device}-transitional`);
  }
  return guestSweepTargets(available);
}
