/**
 * A PCI function's config snapshot read once for the static checks: the decoded type-0 header, the
 * capability walk of the reference walker, and what kind of virtio function the IDs say it is.
 */
import { decodePciType0Header, PCI_TYPE0_HEADER_SIZE, type PciType0Header } from '../../../generated/ts/pci/pci-type0-header.ts';
import { VirtioDeviceId } from '../../../generated/ts/virtio/virtio-core.ts';
import {
  VIRTIO_PCI_DEVICE_ID_MAX,
  VIRTIO_PCI_DEVICE_ID_MIN,
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN,
  VIRTIO_PCI_VENDOR_ID,
  virtioPciTransitionalDeviceIdNames,
} from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { walkCapabilities, type CapabilityWalk, type WalkedCapability, type WalkedVirtioCapability } from '../../../reference-impl/pci/index.ts';

/** A virtio capability of the walk with its config-space position. */
export interface VirtioCapabilityAt {
  /** Config offset of the capability's first byte. */
  offset: number;
  /** cap_len as the device wrote it. */
  capLen: number;
  virtio: WalkedVirtioCapability;
}

/** What the static checks look at. */
export interface FunctionView {
  functionId: string;
  config: Uint8Array;
  /** The data ends before the function's full config space (a truncated dump). */
  truncated: boolean;
  /** The target says this function is meant to be virtio (reference, QEMU, adapters). */
  claimedVirtio: boolean;
  /** Decoded header; fields past the end of truncated data read 0. */
  header: PciType0Header;
  /** The whole 64-byte header is present in the data. */
  headerComplete: boolean;
  walk: CapabilityWalk;
  /** Virtio capabilities in list order (only when the IDs name a virtio function). */
  virtioCapabilities: VirtioCapabilityAt[];
}

/** Reads a snapshot into a {@link FunctionView}. Never throws. */
export function viewFunction(functionId: string, config: Uint8Array, options: { truncated?: boolean; claimedVirtio?: boolean } = {}): FunctionView {
  const header = decodePciType0Header(config, 0, config.length).value;
  const walk = walkCapabilities(config);
  const virtioCapabilities = walk.capabilities.flatMap((capability: WalkedCapability) =>
    capability.virtio === undefined ? [] : [{ offset: capability.offset, capLen: capability.length ?? 0, virtio: capability.virtio }],
  );
  return {
    functionId,
    config,
    truncated: options.truncated === true,
    claimedVirtio: options.claimedVirtio === true,
    header,
    headerComplete: config.length >= PCI_TYPE0_HEADER_SIZE,
    walk,
    virtioCapabilities,
  };
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/**
 * Why the checks do not judge the function as a virtio function, or undefined when they do. The
 * virtio vendor ID with a device ID outside 0x1000..0x107F is, by the spec's definition of the
 * device IDs (VS13 §4.1.2), some other function of the same vendor (QEMU's and real hardware's
 * exist); any other vendor is judged only when the target says the function is meant to be virtio.
 */
export function notVirtioReason(view: FunctionView): string | undefined {
  const { vendorId, deviceId } = view.header;
  if (vendorId === VIRTIO_PCI_VENDOR_ID) {
    if (deviceId >= VIRTIO_PCI_DEVICE_ID_MIN && deviceId <= VIRTIO_PCI_DEVICE_ID_MAX) return undefined;
    return `not a virtio device: vendor ${hex(vendorId)} with device ID ${hex(deviceId)}, outside the virtio range ${hex(VIRTIO_PCI_DEVICE_ID_MIN)}..${hex(VIRTIO_PCI_DEVICE_ID_MAX)} (VS13 §4.1.2)`;
  }
  return view.claimedVirtio ? undefined : `not a virtio function (vendor ${hex(vendorId)}, device ${hex(deviceId)})`;
}

/** The checks judge the function as virtio: see {@link notVirtioReason}. */
export function isVirtioCandidate(view: FunctionView): boolean {
  return notVirtioReason(view) === undefined;
}

/** The status register says there is no capability list (the walker found its bit clear). */
export function capabilityListAbsent(view: FunctionView): boolean {
  return view.walk.issues.some((issue) => issue.code === 'no-capability-list');
}

/** Transitional: the device ID is in the transitional range (VS13 §4.1.2). */
export function isTransitional(view: FunctionView): boolean {
  const id = view.header.deviceId;
  return id >= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN && id <= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX;
}

/** The virtio device type the PCI device ID names, or undefined when it names none. */
export function virtioDeviceType(view: FunctionView): number | undefined {
  const id = view.header.deviceId;
  if (id > VIRTIO_PCI_MODERN_DEVICE_ID_BASE && id <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX) return id - VIRTIO_PCI_MODERN_DEVICE_ID_BASE;
  const name = virtioPciTransitionalDeviceIdNames[String(id)];
  return name === undefined ? undefined : (VirtioDeviceId as Record<string, number>)[name];
}

/** Virtio capabilities of one cfg_type, in list order. */
export function capabilitiesOfType(view: FunctionView, cfgType: number): VirtioCapabilityAt[] {
  return view.virtioCapabilities.filter((capability) => capability.virtio.cfgType === cfgType);
}
