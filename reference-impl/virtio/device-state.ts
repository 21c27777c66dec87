/**
 * Transport-independent state of a live virtio device: status and its reset, feature negotiation,
 * virtqueues, MSI-X vector mappings, ISR, device configuration and its generation counter. The
 * modern common-config registers and the legacy BAR0 registers are two views of this one state.
 */
import { VIRTIO_FEATURE_WINDOW_BITS, VirtioDeviceStatus, VirtioFeatures, VirtioFeaturesBits } from '../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_ISR_CONFIG, VIRTIO_PCI_ISR_QUEUE } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { fieldMaxValue, layoutField } from './layout-fields.ts';

/** One virtqueue as the device holds it. */
export interface QueueState {
  readonly index: number;
  /** Largest size the device supports; 0 for an unavailable queue. */
  readonly maxSize: number;
  readonly available: boolean;
  size: number;
  enabled: boolean;
  msixVector: number;
  desc: bigint;
  driver: bigint;
  device: bigint;
  /** Value of queue_notify_off for this queue. */
  readonly notifyOff: number;
}

/** A driver notification the device received. */
export interface NotificationRecord {
  /** Queue indexes whose notify address the write hit (or, legacy, the queue written). */
  queues: number[];
  value: number;
}

/** Number of 32-bit feature windows: enough for the highest feature bit the spec defines. */
export const FEATURE_WINDOWS: number = Math.floor(Math.max(...Object.values(VirtioFeaturesBits)) / VIRTIO_FEATURE_WINDOW_BITS) + 1;

const windowMask = (1n << BigInt(VIRTIO_FEATURE_WINDOW_BITS)) - 1n;
/** All bits of device_status and of config_generation (the counter wraps at its width). */
const statusMask = fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'deviceStatus'));
const generationMask = fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'configGeneration'));

/** The 32 feature bits shown for `select`; windows past the defined ones read 0. */
export function featureWindow(features: bigint, select: number): number {
  if (!Number.isInteger(select) || select < 0 || select >= FEATURE_WINDOWS) return 0;
  return Number((features >> BigInt(select * VIRTIO_FEATURE_WINDOW_BITS)) & windowMask);
}

/** `features` with window `select` replaced by `value`; selects past the defined windows change nothing. */
export function withFeatureWindow(features: bigint, select: number, value: number): bigint {
  if (!Number.isInteger(select) || select < 0 || select >= FEATURE_WINDOWS) return features;
  const shift = BigInt(select * VIRTIO_FEATURE_WINDOW_BITS);
  return (features & ~(windowMask << shift)) | ((BigInt(value >>> 0) & windowMask) << shift);
}

/** What the device is built with. */
export interface DeviceStateOptions {
  offeredFeatures: bigint;
  queues: readonly { size: number; available?: boolean }[];
  deviceConfig: Uint8Array;
  /** MSI-X table entries; 0 when the function has no MSI-X. */
  msixVectors: number;
  /** A non-transitional device refuses FEATURES_OK unless the driver accepted VERSION_1 (VS13 §6.2 allows it). */
  requireVersion1: boolean;
}

/** The live state; every mutation goes through a method that keeps the device rules. */
export class VirtioDeviceState {
  readonly offeredFeatures: bigint;
  readonly queues: QueueState[];
  readonly msixVectors: number;
  readonly requireVersion1: boolean;
  status = 0;
  driverFeatures = 0n;
  deviceFeatureSelect = 0;
  driverFeatureSelect = 0;
  queueSelect = 0;
  configMsixVector: number = VIRTIO_MSI_NO_VECTOR;
  isr = 0;
  configGeneration = 0;
  deviceConfig: Uint8Array;
  readonly notifications: NotificationRecord[] = [];
  /** Called whenever the ISR changes, so the PCI status INTERRUPT bit can follow it. */
  onIsrChange: (isr: number) => void = () => {};

  constructor(options: DeviceStateOptions) {
    this.offeredFeatures = options.offeredFeatures;
    this.msixVectors = options.msixVectors;
    this.requireVersion1 = options.requireVersion1;
    this.deviceConfig = options.deviceConfig.slice();
    this.queues = options.queues.map((queue, index) => {
      const available = queue.available !== false && queue.size > 0;
      return {
        index,
        maxSize: available ? queue.size : 0,
        available,
        size: available ? queue.size : 0,
        enabled: false,
        msixVector: VIRTIO_MSI_NO_VECTOR,
        desc: 0n,
        driver: 0n,
        device: 0n,
        notifyOff: index,
      };
    });
  }

  /** Device reset: status 0, nothing negotiated, every queue disabled and unmapped (PCI-DEV-16, -17, -50). */
  reset(): void {
    this.status = 0;
    this.driverFeatures = 0n;
    this.deviceFeatureSelect = 0;
    this.driverFeatureSelect = 0;
    this.queueSelect = 0;
    this.configMsixVector = VIRTIO_MSI_NO_VECTOR;
    this.setIsr(0);
    for (const queue of this.queues) {
      queue.size = queue.maxSize;
      queue.enabled = false;
      queue.msixVector = VIRTIO_MSI_NO_VECTOR;
      queue.desc = 0n;
      queue.driver = 0n;
      queue.device = 0n;
    }
  }

  /** True when `features` may be accepted: a subset of the offer, with VERSION_1 when required. */
  featuresAcceptable(features: bigint): boolean {
    if ((features & ~this.offeredFeatures) !== 0n) return false;
    if (this.requireVersion1 && (features & VirtioFeatures.VERSION_1) === 0n) return false;
    return true;
  }

  /** True once the driver set FEATURES_OK and the device kept it. */
  get featuresLocked(): boolean {
    return (this.status & VirtioDeviceStatus.FEATURES_OK) !== 0;
  }

  /**
   * A driver write of device_status. 0 resets. FEATURES_OK is kept only when the accepted features
   * are acceptable, and once kept it stays until reset: no new features are accepted after it
   * (digest §2.3) and a driver may not clear a status bit (§2.1.1), so clearing it must not reopen
   * negotiation. DEVICE_NEEDS_RESET belongs to the device and a driver write does not change it.
   */
  writeStatus(value: number, negotiatesFeaturesOk = true): void {
    if (value === 0) {
      this.reset();
      return;
    }
    const kept = VirtioDeviceStatus.DEVICE_NEEDS_RESET | (this.featuresLocked ? VirtioDeviceStatus.FEATURES_OK : 0);
    let next = (value & ~kept & statusMask) | (this.status & kept);
    if (negotiatesFeaturesOk && (next & VirtioDeviceStatus.FEATURES_OK) !== 0 && !this.featuresLocked && !this.featuresAcceptable(this.driverFeatures)) {
      next &= ~VirtioDeviceStatus.FEATURES_OK;
    }
    this.status = next;
  }

  /** A driver write of one driver-feature window; ignored once FEATURES_OK was accepted. */
  writeDriverFeatureWindow(select: number, value: number): void {
    if (this.featuresLocked) return;
    this.driverFeatures = withFeatureWindow(this.driverFeatures, select, value);
  }

  /** The selected queue when it exists and is available. */
  selectedQueue(): QueueState | undefined {
    const queue = this.queues[this.queueSelect];
    return queue !== undefined && queue.available ? queue : undefined;
  }

  /** The vector to store for a mapping request: itself when inside the table (or NO_VECTOR), else NO_VECTOR (PCI-DEV-49, -51). */
  mapVector(vector: number): number {
    return vector === VIRTIO_MSI_NO_VECTOR || vector < this.msixVectors ? vector : VIRTIO_MSI_NO_VECTOR;
  }

  /** True when the negotiated features include `feature` (a mask). */
  negotiated(feature: bigint): boolean {
    return this.featuresLocked && (this.driverFeatures & feature) !== 0n;
  }

  /** A driver write of queue_size: a power of two (any size with RING_PACKED) up to the maximum; otherwise ignored. */
  writeQueueSize(size: number): void {
    const queue = this.selectedQueue();
    if (queue === undefined || queue.enabled) return;
    const packed = this.negotiated(VirtioFeatures.RING_PACKED);
    if (size < 1 || size > queue.maxSize) return;
    if (!packed && (size & (size - 1)) !== 0) return;
    queue.size = size;
  }

  /** Reads the ISR and clears it (PCI-DEV-32). */
  readAndClearIsr(): number {
    const value = this.isr;
    this.setIsr(0);
    return value;
  }

  private setIsr(value: number): void {
    if (value === this.isr) return;
    this.isr = value;
    this.onIsrChange(value);
  }

  /** The device used buffers of a queue: sets the queue-interrupt ISR bit. */
  raiseQueueInterrupt(): void {
    this.setIsr(this.isr | VIRTIO_PCI_ISR_QUEUE);
  }

  /**
   * Device-side change of device configuration bytes. When bytes change, config_generation moves
   * and the configuration-interrupt ISR bit is set (PCI-DEV-15, -29). Returns whether anything changed.
   */
  updateDeviceConfig(offset: number, bytes: Uint8Array): boolean {
    let changed = false;
    for (let i = 0; i < bytes.length; i++) {
      const at = offset + i;
      if (at < 0 || at >= this.deviceConfig.length) continue;
      if (this.deviceConfig[at] !== bytes[i]) {
        this.deviceConfig[at] = bytes[i]!;
        changed = true;
      }
    }
    if (changed) {
      this.configGeneration = (this.configGeneration + 1) & generationMask;
      this.setIsr(this.isr | VIRTIO_PCI_ISR_CONFIG);
    }
    return changed;
  }

  /** The device hit an error: sets DEVICE_NEEDS_RESET and, if live, signals a config change. */
  needsReset(): void {
    this.status |= VirtioDeviceStatus.DEVICE_NEEDS_RESET;
    if ((this.status & VirtioDeviceStatus.DRIVER_OK) !== 0) this.setIsr(this.isr | VIRTIO_PCI_ISR_CONFIG);
  }
}
