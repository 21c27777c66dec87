/**
 * The description a virtio-pci device model is built from: device type, offered features, queues,
 * where the virtio structures sit in which BAR, and optional extras. `checkDescription` says what is
 * wrong with one as data, before the model is built.
 */
import { PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_MSIX_TABLE_SIZE_MAX } from '../../generated/ts/pci/pci-msix-cap.ts';
import { VIRTIO_FEATURE_WINDOW_BITS, VirtioDeviceId, VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import {
  VIRTIO_PCI_BAR_MAX,
  VIRTIO_PCI_CAP_ALIGN,
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VIRTIO_PCI_VENDOR_ID,
  VirtioPciTransitionalDeviceId,
} from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { virtioPciVndrDataLayout } from '../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import { planBars, structureExtents } from './bar-plan.ts';
import { CapabilityPlanError, planCapabilities } from './capability-plan.ts';
import { FEATURE_WINDOWS } from './device-state.ts';
import { fieldMaxValue, layoutField } from './layout-fields.ts';
import { notifyWidth } from './notification-value.ts';

/** One virtqueue the device offers. */
export interface VirtioQueueDescription {
  /** Largest queue size the device supports. */
  size: number;
  /** False for a queue index that exists but is unavailable (reads queue_size 0). Default true. */
  available?: boolean;
}

/** Which BAR holds the virtio structures and where each one starts in it. */
export interface VirtioBarPlacement {
  /** BAR index 0..5 (for a 64-bit BAR, its first slot). */
  bar: number;
  space: 'memory' | 'io';
  /** Memory BARs only. Default false. */
  is64?: boolean;
  prefetchable?: boolean;
  /** BAR size; default the smallest power of two that holds every structure. */
  size?: number;
  /** Byte offsets of the structures in the BAR. */
  common: number;
  notify: number;
  isr: number;
  /** Required when the device has device-specific configuration. */
  device?: number;
  /**
   * A second notification structure, in its own I/O BAR of this index (multiplier 0: every queue
   * notifies at its offset 0), listed after the first as QEMU's `modern-pio-notify=on` does.
   */
  notifyIoBar?: number;
}

/** A shared memory region (VIRTIO_PCI_CAP_SHARED_MEMORY_CFG), in its own memory BAR. */
export interface SharedMemoryRegionDescription {
  /** Region ID (cap.id), unique per device. */
  id: number;
  /** BAR index holding the region; every region of one BAR makes it a 64-bit prefetchable BAR. */
  bar: number;
  offset: bigint;
  length: bigint;
}

/** A vendor data capability (VIRTIO_PCI_CAP_VENDOR_CFG). */
export interface VendorDataDescription {
  vendorId: number;
  data: Uint8Array;
}

/** Everything a virtio-pci device model is built from. */
export interface VirtioDeviceDescription {
  /** Virtio device ID (1 net, 2 block, ...). */
  deviceType: number;
  /** Offered feature bits. */
  features: bigint;
  queues: VirtioQueueDescription[];
  /** Transitional (legacy I/O BAR0, transitional PCI IDs) or modern. Default modern. */
  transitional?: boolean;
  placement: VirtioBarPlacement;
  notifyOffMultiplier: number;
  deviceConfig?: Uint8Array;
  sharedMemory?: SharedMemoryRegionDescription[];
  vendorData?: VendorDataDescription[];
  /** MSI-X table entries; 0 or absent for no MSI-X capability. */
  msixVectors?: number;
  /** BAR holding the MSI-X table and PBA; default the first free slot. */
  msixBar?: number;
  /** Spec version the common configuration structure follows (its length). Default "1.3". */
  commonConfigVersion?: string;
  /** PCI Express function: 4096-byte config space with a PCI Express capability. Default false. */
  pcie?: boolean;
  /** Header overrides (modern devices only for revision and subsystem ID). */
  revision?: number;
  subsystemVendorId?: number;
  subsystemId?: number;
  /** 24-bit class code (base, sub, programming interface). Default 0. */
  classCode?: number;
  /** Legacy interrupt pin (1 = INTA#); default 1. */
  interruptPin?: number;
  /**
   * Non-transitional devices only: an I/O BAR0 for a legacy driver that binds by the same IDs. A
   * one-byte write of 0 to its legacy status offset makes every BAR read 0 and ignore writes, so that
   * driver fails cleanly (VS13 §4.1.4.11.0.1). Default false.
   */
  fendOffLegacyDrivers?: boolean;
  /**
   * Build the device even where it breaks a spec rule (the issues that carry a `requirement`), for
   * negative tests of the suites. Descriptions the model cannot implement are refused regardless.
   * Default false.
   */
  allowNonConformant?: boolean;
}

/** One reason a description cannot be built. */
export interface DescriptionIssue {
  code:
    | 'device-type'
    | 'no-transitional-id'
    | 'features-range'
    | 'queue-size'
    | 'placement-bar'
    | 'placement-align'
    | 'placement-overlap'
    | 'device-config-placement'
    | 'notify-align'
    | 'notify-multiplier'
    | 'msix-vectors'
    | 'msix-bar'
    | 'shared-memory'
    | 'vendor-data'
    | 'version-1'
    | 'config-space';
  message: string;
  /**
   * The spec requirement the device would break. Only set when the model could still be built, so
   * `allowNonConformant` lets exactly these through.
   */
  requirement?: string;
}

/** Largest queue size the queue_size register holds. */
const QUEUE_SIZE_MAX = fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'queueSize'));
/** Largest vendor ID the vendor data capability holds. */
const VENDOR_ID_MAX = fieldMaxValue(layoutField(virtioPciVndrDataLayout, 'vendorId'));

const isPowerOfTwo = (value: number): boolean => value > 0 && (value & (value - 1)) === 0;

/** Name of the virtio device type `deviceType` in the generated enum, if it is listed. */
export function deviceTypeName(deviceType: number): string | undefined {
  return Object.entries(VirtioDeviceId).find(([, value]) => value === deviceType)?.[0];
}

/** The PCI device ID a description's device presents. */
export function pciDeviceId(description: Pick<VirtioDeviceDescription, 'deviceType' | 'transitional'>): number | undefined {
  if (description.transitional === true) {
    const name = deviceTypeName(description.deviceType);
    return name === undefined ? undefined : (VirtioPciTransitionalDeviceId as Record<string, number>)[name];
  }
  const id = VIRTIO_PCI_MODERN_DEVICE_ID_BASE + description.deviceType;
  return id <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX ? id : undefined;
}

/**
 * Checks a description; an empty list means the model can be built and, unless `allowNonConformant`
 * is set, that the device it builds keeps the PCI transport rules the description decides. Never throws.
 */
export function checkDescription(d: VirtioDeviceDescription): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  if (!Number.isInteger(d.deviceType) || d.deviceType <= 0) issues.push({ code: 'device-type', message: `device type ${d.deviceType} is not a virtio device ID` });
  else if (pciDeviceId(d) === undefined) {
    issues.push(
      d.transitional === true
        ? { code: 'no-transitional-id', message: `device type ${d.deviceType} has no transitional PCI device ID` }
        : { code: 'device-type', message: `device type ${d.deviceType} gives a PCI device ID past the modern range` },
    );
  }
  if (d.features < 0n || d.features >> BigInt(FEATURE_WINDOWS * VIRTIO_FEATURE_WINDOW_BITS) !== 0n) {
    issues.push({ code: 'features-range', message: `features must fit ${FEATURE_WINDOWS} windows of ${VIRTIO_FEATURE_WINDOW_BITS} bits` });
  }
  if (d.transitional !== true && (d.features & VirtioFeatures.VERSION_1) === 0n) {
    issues.push({ code: 'version-1', requirement: 'VIRTIO-DEV-10', message: 'a modern (non-transitional) device must offer VIRTIO_F_VERSION_1' });
  }
  d.queues.forEach((queue, index) => {
    if (!Number.isInteger(queue.size) || queue.size < 0 || queue.size > QUEUE_SIZE_MAX) issues.push({ code: 'queue-size', message: `queue ${index} size ${queue.size} does not fit queue_size (0..${QUEUE_SIZE_MAX})` });
    else if (queue.size !== 0 && !isPowerOfTwo(queue.size)) issues.push({ code: 'queue-size', requirement: 'PCI-DEV-21', message: `queue ${index} size ${queue.size} is not a power of two` });
  });
  const p = d.placement;
  if (!Number.isInteger(p.bar) || p.bar < 0 || p.bar > VIRTIO_PCI_BAR_MAX) issues.push({ code: 'placement-bar', message: `BAR ${p.bar} is not 0..${VIRTIO_PCI_BAR_MAX}` });
  if (p.notifyIoBar !== undefined && (!Number.isInteger(p.notifyIoBar) || p.notifyIoBar < 0 || p.notifyIoBar > VIRTIO_PCI_BAR_MAX)) {
    issues.push({ code: 'placement-bar', message: `notification I/O BAR ${p.notifyIoBar} is not 0..${VIRTIO_PCI_BAR_MAX}` });
  }
  if (d.fendOffLegacyDrivers === true && d.transitional === true) issues.push({ code: 'placement-bar', message: 'a transitional device serves legacy drivers instead of fending them off' });
  let offsetsValid = true;
  for (const [name, offset] of [['common', p.common], ['notify', p.notify], ['isr', p.isr], ['device', p.device]] as const) {
    if (offset === undefined) continue;
    if (!Number.isInteger(offset) || offset < 0) {
      issues.push({ code: 'placement-align', message: `${name} offset ${offset} is not a byte offset` });
      offsetsValid = false;
    }
  }
  if (p.common % VIRTIO_PCI_CAP_ALIGN !== 0) issues.push({ code: 'placement-align', requirement: 'PCI-DEV-11', message: `common config offset ${p.common} is not ${VIRTIO_PCI_CAP_ALIGN}-byte aligned` });
  if (p.device !== undefined && p.device % VIRTIO_PCI_CAP_ALIGN !== 0) issues.push({ code: 'placement-align', requirement: 'PCI-DEV-33', message: `device config offset ${p.device} is not ${VIRTIO_PCI_CAP_ALIGN}-byte aligned` });
  // A notification is as wide as its alignment: 2 bytes, or 4 with NOTIFICATION_DATA (digest §1.6).
  const width = notifyWidth(d.features);
  const notificationData = (d.features & VirtioFeatures.NOTIFICATION_DATA) !== 0n;
  if (p.notify % width !== 0) issues.push({ code: 'notify-align', requirement: 'PCI-DEV-24', message: `notify offset ${p.notify} is not ${width}-byte aligned` });
  if ((d.deviceConfig?.length ?? 0) > 0 && p.device === undefined) issues.push({ code: 'device-config-placement', message: 'device configuration bytes need placement.device' });
  const m = d.notifyOffMultiplier;
  if (!Number.isInteger(m) || m < 0) issues.push({ code: 'notify-multiplier', message: `notify_off_multiplier ${m} is not a non-negative integer` });
  else if (m !== 0 && (!isPowerOfTwo(m) || (notificationData && m % width !== 0))) {
    issues.push({ code: 'notify-multiplier', requirement: 'PCI-DEV-25', message: `notify_off_multiplier ${m} is not 0 or a power of two${notificationData ? ` that is a multiple of ${width} (NOTIFICATION_DATA offered)` : ''}` });
  }
  const vectors = d.msixVectors ?? 0;
  if (!Number.isInteger(vectors) || vectors < 0 || vectors > PCI_MSIX_TABLE_SIZE_MAX + 1) issues.push({ code: 'msix-vectors', message: `${vectors} MSI-X vectors is outside 0..${PCI_MSIX_TABLE_SIZE_MAX + 1}` });
  const ids = new Set<number>();
  for (const region of d.sharedMemory ?? []) {
    if (ids.has(region.id)) issues.push({ code: 'shared-memory', message: `shared memory region id ${region.id} is used twice` });
    ids.add(region.id);
    if (region.offset < 0n || region.length <= 0n) issues.push({ code: 'shared-memory', message: `shared memory region ${region.id} has a bad offset or length` });
  }
  for (const vendor of d.vendorData ?? []) {
    if (!Number.isInteger(vendor.vendorId) || vendor.vendorId < 0 || vendor.vendorId > VENDOR_ID_MAX) issues.push({ code: 'vendor-data', message: `vendor ID ${vendor.vendorId} is outside 0..${VENDOR_ID_MAX}` });
    else if (vendor.vendorId === VIRTIO_PCI_VENDOR_ID) issues.push({ code: 'vendor-data', requirement: 'PCI-DEV-38', message: `vendor data may not use the virtio vendor ID ${VIRTIO_PCI_VENDOR_ID}` });
  }

  if (offsetsValid) {
    const extents = structureExtents(d);
    for (const [i, a] of extents.entries()) {
      for (const b of extents.slice(i + 1)) {
        if (a.start < b.start + b.length && b.start < a.start + a.length) issues.push({ code: 'placement-overlap', message: `${a.name} and ${b.name} overlap in BAR ${p.bar}` });
      }
    }
    const bars = planBars(d);
    issues.push(...bars.issues);
    // Only a description that is otherwise whole gets its capabilities laid out.
    if (issues.every((issue) => issue.requirement !== undefined)) {
      const length = (name: string): number => extents.find((extent) => extent.name === name)?.length ?? 0;
      try {
        planCapabilities(d, { commonLength: length('common'), notifyLength: length('notify'), isrLength: length('isr'), deviceLength: length('device'), msix: bars.msix }, PCI_CFG_SPACE_SIZE);
      } catch (error) {
        // CapabilityPlanError is the expected case; anything else is reported too, as this never throws.
        issues.push({ code: 'config-space', message: error instanceof CapabilityPlanError ? error.message : `capabilities cannot be laid out: ${String(error)}` });
      }
    }
  }
  return d.allowNonConformant === true ? issues.filter((issue) => issue.requirement === undefined) : issues;
}
