/**
 * A driver trace read as a driver's session with the device: the register accesses to the common
 * configuration (or the legacy header) with the queue and feature window selected at the time, the
 * status writes cut into epochs at each reset, the features offered and accepted per epoch, every
 * queue's setup, the notifications, and the MSI-X state. The driver checks are questions about this
 * model; they never re-read the raw accesses for what the model already says.
 */
import { pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { VirtioDeviceStatus, VirtioFeaturesBits, VIRTIO_FEATURE_WINDOW_BITS } from '../../generated/ts/virtio/virtio-core.ts';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { virtioPciLegacyCfgLayout } from '../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { virtioPciLegacyCfgMsixLayout } from '../../generated/ts/virtio/virtio-pci-legacy-cfg-msix.ts';
import type { FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';
import type { DriverTrace, TraceAccess } from '../../targets/driver-trace.ts';

/** Which interface an access used. */
export type DriverInterface = 'modern' | 'legacy';

/** One access to a register of the common configuration or the legacy header, with its context. */
export interface RegisterAccess {
  readonly access: TraceAccess;
  readonly iface: DriverInterface;
  /** The field's spec name (`device_status`, `queue_desc`), when the access starts at a field. */
  readonly register: string;
  /** For 64-bit fields: which 32-bit half (0 low, 1 high). */
  readonly half?: 0 | 1;
  /** The field's width in bytes, from the layout. */
  readonly fieldBytes: number;
  /** queue_select as last written, when the access is to a per-queue field. */
  readonly queue?: number;
  /** The feature select in force (device_feature_select for device_feature, driver_feature_select for driver_feature). */
  readonly window?: number;
}

/** What the driver did to one queue within one epoch. */
export interface QueueSetup {
  readonly index: number;
  /** Register writes and reads to the queue's fields, in order. */
  readonly accesses: RegisterAccess[];
}

/** The stretch of a session from one reset (a write of 0 to device_status) to the next. */
export interface Epoch {
  /** Index of the reset write that starts it (undefined for the part before the first reset). */
  readonly resetAt?: number;
  /** First and last trace index covered (inclusive). */
  readonly from: number;
  readonly to: number;
  readonly iface?: DriverInterface;
  readonly statusWrites: RegisterAccess[];
  readonly statusReads: RegisterAccess[];
  /** device_feature reads by window (the value last read). */
  readonly offered: Map<number, { value: number; at: number }>;
  /** driver_feature writes by window (the value last written) and every write. */
  readonly accepted: Map<number, { value: number; at: number }>;
  readonly featureWrites: RegisterAccess[];
  readonly queues: Map<number, QueueSetup>;
  /** Notifications (modern notify structure or legacy queue_notify). */
  readonly notifications: TraceAccess[];
  /** Index of the first status write with DRIVER_OK, FEATURES_OK, FAILED. */
  readonly driverOkAt?: number;
  readonly featuresOkAt?: number;
  readonly failedAt?: number;
}

/** The whole session. */
export interface DriverSession {
  readonly trace: DriverTrace;
  /** The accesses judged (from `scopeFrom` on). */
  readonly scope: readonly TraceAccess[];
  readonly registers: readonly RegisterAccess[];
  readonly epochs: readonly Epoch[];
  /** MSI-X enable state before each access index (true when enabled). */
  msixEnabledAt(index: number): boolean;
}

const BYTE_BITS = 8;
const DWORD_BYTES = 4;

function fieldAt(layout: LayoutMeta, offset: number): { field: FieldMeta; half?: 0 | 1 } | undefined {
  for (const field of layout.fields) {
    if (field.bit !== 0 || field.bits % BYTE_BITS !== 0) continue;
    const bytes = field.bits / BYTE_BITS;
    if (offset === field.offset) return bytes > DWORD_BYTES ? { field, half: 0 } : { field };
    if (bytes > DWORD_BYTES && offset === field.offset + DWORD_BYTES) return { field, half: 1 };
  }
  return undefined;
}

const PER_QUEUE = new Set(['queue_size', 'queue_msix_vector', 'queue_enable', 'queue_notify_off', 'queue_desc', 'queue_driver', 'queue_device', 'queue_notif_config_data', 'queue_reset', 'queue_address']);

/** Whether `bit` (absolute feature bit number) is set in a window map. */
export function featureBit(windows: ReadonlyMap<number, { value: number }>, bit: number): boolean | undefined {
  const window = windows.get(Math.floor(bit / VIRTIO_FEATURE_WINDOW_BITS));
  if (window === undefined) return undefined;
  return ((window.value >>> bit % VIRTIO_FEATURE_WINDOW_BITS) & 1) === 1;
}

/** The bits accepted in an epoch as of index `at` (feature writes before it). */
export function acceptedBefore(epoch: Epoch, at: number): Map<number, { value: number; at: number }> {
  const windows = new Map<number, { value: number; at: number }>();
  for (const write of epoch.featureWrites) {
    if (write.access.index >= at || write.window === undefined) continue;
    windows.set(write.window, { value: write.access.value, at: write.access.index });
  }
  return windows;
}

/** Whether feature `bit` was negotiated in the epoch (accepted when FEATURES_OK or, for legacy, DRIVER_OK was set). */
export function negotiated(epoch: Epoch, bit: number): boolean {
  const at = epoch.featuresOkAt ?? epoch.driverOkAt ?? epoch.to + 1;
  return featureBit(acceptedBefore(epoch, at), bit) === true;
}

/** Feature bit numbers by name, for checks. */
export const FeatureBit = VirtioFeaturesBits;

/** Builds the session of `trace`, judging accesses from index `scopeFrom` on. */
export function driverSession(trace: DriverTrace, scopeFrom = 0): DriverSession {
  const scope = trace.accesses.filter((access) => access.index >= scopeFrom);
  const msix = trace.device.msix;
  const enableField = pciMsixCapLayout.fields.find((field) => field.specName === 'enable')!;
  const enableByte = msix ? msix.capOffset + enableField.offset : -1;
  const msixState: boolean[] = [];
  let msixEnabled = false;
  const registers: RegisterAccess[] = [];
  let queueSelect: number | undefined;
  let deviceFeatureSelect = 0;
  let driverFeatureSelect = 0;
  for (const access of trace.accesses) {
    msixState[access.index] = msixEnabled;
    if (access.structure === 'config' && enableByte >= access.offset && enableByte < access.offset + (access.width ?? 1)) {
      msixEnabled = ((Math.floor(access.value / 2 ** (BYTE_BITS * (enableByte - access.offset))) >> enableField.bit) & 1) === 1;
    }
    if (access.index < scopeFrom) continue;
    let layout: LayoutMeta | undefined;
    let iface: DriverInterface | undefined;
    if (access.structure === 'common') {
      layout = virtioPciCommonCfgLayout;
      iface = 'modern';
    } else if (access.structure === 'legacy') {
      layout = msixState[access.index] ? virtioPciLegacyCfgMsixLayout : virtioPciLegacyCfgLayout;
      iface = 'legacy';
    }
    if (!layout || !iface) continue;
    const found = fieldAt(layout, access.offset);
    if (!found) continue;
    const register = found.field.specName;
    const base = { access, iface, register, fieldBytes: found.field.bits / BYTE_BITS, ...(found.half !== undefined && { half: found.half }) };
    if (register === 'queue_select' && access.op === 'write') queueSelect = access.value;
    if (register === 'device_feature_select' && access.op === 'write') deviceFeatureSelect = access.value;
    if (register === 'driver_feature_select' && access.op === 'write') driverFeatureSelect = access.value;
    let window: number | undefined;
    if (register === 'device_feature') window = deviceFeatureSelect;
    if (register === 'driver_feature') window = driverFeatureSelect;
    // The legacy header shows feature bits 0 to 31 only.
    if (register === 'device_features' || register === 'driver_features') window = 0;
    registers.push({ ...base, ...(PER_QUEUE.has(register) && queueSelect !== undefined && { queue: queueSelect }), ...(window !== undefined && { window }) });
  }
  msixState[trace.accesses.length] = msixEnabled;
  return {
    trace,
    scope,
    registers,
    epochs: cutEpochs(scope, registers, trace),
    msixEnabledAt: (index) => msixState[index] ?? msixEnabled,
  };
}

/** Registers that carry the device status in the modern and legacy layouts. */
export function isStatus(register: RegisterAccess): boolean {
  return register.register === 'device_status';
}

function cutEpochs(scope: readonly TraceAccess[], registers: readonly RegisterAccess[], trace: DriverTrace): Epoch[] {
  const first = scope[0]?.index ?? 0;
  const last = scope.at(-1)?.index ?? -1;
  const resets = registers.filter((r) => isStatus(r) && r.access.op === 'write' && r.access.value === 0).map((r) => r.access.index);
  const starts = [first, ...resets.filter((at) => at > first)];
  const epochs: Epoch[] = [];
  starts.forEach((from, i) => {
    const to = i + 1 < starts.length ? starts[i + 1]! - 1 : last;
    const inside = registers.filter((r) => r.access.index >= from && r.access.index <= to);
    const statusWrites = inside.filter((r) => isStatus(r) && r.access.op === 'write');
    const statusReads = inside.filter((r) => isStatus(r) && r.access.op === 'read');
    const offered = new Map<number, { value: number; at: number }>();
    const accepted = new Map<number, { value: number; at: number }>();
    const featureWrites: RegisterAccess[] = [];
    const queues = new Map<number, QueueSetup>();
    for (const r of inside) {
      if ((r.register === 'device_feature' || r.register === 'device_features') && r.access.op === 'read' && r.window !== undefined) offered.set(r.window, { value: r.access.value, at: r.access.index });
      if ((r.register === 'driver_feature' || r.register === 'driver_features') && r.access.op === 'write' && r.window !== undefined) {
        accepted.set(r.window, { value: r.access.value, at: r.access.index });
        featureWrites.push(r);
      }
      if (r.queue !== undefined) {
        const setup = queues.get(r.queue) ?? { index: r.queue, accesses: [] };
        setup.accesses.push(r);
        queues.set(r.queue, setup);
      }
    }
    const notifications = trace.accesses.filter(
      (a) => a.index >= from && a.index <= to && a.op === 'write' && (a.structure === 'notify' || (a.structure === 'legacy' && inside.some((r) => r.access === a && r.register === 'queue_notify'))),
    );
    const firstWith = (bit: number): number | undefined => statusWrites.find((w) => (w.access.value & bit) !== 0)?.access.index;
    const ifaces = new Set(inside.map((r) => r.iface));
    const resetAt = i === 0 && !resets.includes(from) ? undefined : from;
    epochs.push({
      ...(resetAt !== undefined && { resetAt }),
      from,
      to,
      ...(ifaces.size > 0 && { iface: ifaces.has('legacy') ? 'legacy' : 'modern' }),
      statusWrites,
      statusReads,
      offered,
      accepted,
      featureWrites,
      queues,
      notifications,
      ...(firstWith(VirtioDeviceStatus.DRIVER_OK) !== undefined && { driverOkAt: firstWith(VirtioDeviceStatus.DRIVER_OK)! }),
      ...(firstWith(VirtioDeviceStatus.FEATURES_OK) !== undefined && { featuresOkAt: firstWith(VirtioDeviceStatus.FEATURES_OK)! }),
      ...(firstWith(VirtioDeviceStatus.FAILED) !== undefined && { failedAt: firstWith(VirtioDeviceStatus.FAILED)! }),
    });
  });
  return epochs;
}

/** Epochs in which the driver did something besides the reset (status, features or queues). */
export function activeEpochs(session: DriverSession): Epoch[] {
  return session.epochs.filter((epoch) => epoch.statusWrites.some((w) => w.access.value !== 0) || epoch.featureWrites.length > 0 || epoch.queues.size > 0 || epoch.notifications.length > 0);
}
