/**
 * The driver side of the virtio-pci transport: finds the virtio structures through the capability
 * list (with the walker), then runs the initialisation sequence of VS13 §3.1.1 — reset, ACKNOWLEDGE,
 * DRIVER, feature negotiation, FEATURES_OK and its re-read, queue setup, DRIVER_OK — against any
 * object with the four PCI accesses. It records every access and every way the device departed
 * from what the spec lets a driver expect. It never throws on device behaviour and every wait is
 * bounded.
 */
import type { FieldMeta } from '../../core/codec-runtime.ts';
import { PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { decodePciMsixCap } from '../../generated/ts/pci/pci-msix-cap.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciCommand } from '../../generated/ts/pci/pci-type0-header.ts';
import { VIRTIO_FEATURE_WINDOW_BITS, VirtioDeviceStatus, VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { preferredVirtioCapabilities, walkCapabilities, type CapabilityWalk } from '../pci/capability-walker.ts';
import { writeLe, type AccessWidth } from '../pci/le-bytes.ts';
import type { PciFunctionPort } from './device-model.ts';
import { FEATURE_WINDOWS } from './device-state.ts';
import { notificationValue, notifyWidth, type NotificationData } from './notification-value.ts';

/** One access the transport made. */
export interface TransportAccess {
  space: 'config' | 'bar';
  op: 'read' | 'write';
  bar?: number;
  offset: number;
  width: AccessWidth;
  value: number;
}

/** A virtio structure as its capability locates it. */
export interface LocatedStructure {
  capabilityOffset: number;
  bar: number;
  offset: number;
  length: number;
}

/** Where the transport found the structures. */
export interface LocatedStructures {
  walk: CapabilityWalk;
  common?: LocatedStructure;
  notify?: LocatedStructure & { multiplier: number };
  isr?: LocatedStructure;
  device?: LocatedStructure;
  pciCfg?: LocatedStructure;
  /** MSI-X table entries, 0 without an MSI-X capability. */
  msixVectors: number;
}

/** A way the device departed from the spec during initialisation. A discriminated union on `code`. */
export type TransportDeviation =
  | { code: 'missing-structure'; cfgType: number; requirement: string; message: string }
  | { code: 'reset-not-complete'; status: number; polls: number; requirement: 'PCI-DEV-16'; message: string }
  | { code: 'queue-enabled-after-reset'; queue: number; value: number; requirement: 'PCI-DEV-17'; message: string }
  | { code: 'feature-window-nonzero'; select: number; value: number; message: string }
  | { code: 'version-1-not-offered'; offered: bigint; message: string }
  | { code: 'features-ok-refused'; accepted: bigint; status: number; message: string }
  | { code: 'queue-size-not-power-of-two'; queue: number; size: number; requirement: 'PCI-DEV-21'; message: string }
  | { code: 'notify-out-of-range'; queue: number; notifyOff: number; address: number; requirement: 'PCI-DEV-27'; message: string }
  | { code: 'queue-enable-readback'; queue: number; value: number; message: string }
  | { code: 'vector-readback'; queue: number | 'config'; written: number; read: number; requirement: 'PCI-DEV-49'; message: string }
  | { code: 'status-mismatch'; step: string; expected: number; actual: number; message: string };

/** A queue the transport set up. */
export interface ConfiguredQueue {
  index: number;
  size: number;
  notifyOff: number;
  /** Byte offset of the queue's notify address in the notify BAR. */
  notifyAddress: number;
  /** What a notification of this queue carries: its index, or queue_notif_config_data with NOTIF_CONFIG_DATA (PCI-DRV-33). */
  notifyValue: number;
  msixVector: number;
}

/** The outcome of `initialize`. */
export interface TransportInitResult {
  /** DRIVER_OK was reached. */
  ok: boolean;
  /** Why initialisation stopped, when it did. */
  failure?: string;
  offeredFeatures: bigint;
  negotiatedFeatures: bigint;
  queues: ConfiguredQueue[];
  structures: LocatedStructures;
  deviations: TransportDeviation[];
  log: TransportAccess[];
}

/** Choices a driver makes. */
export interface TransportOptions {
  /** Which offered features to accept; default VERSION_1 and ACCESS_PLATFORM when offered. */
  acceptFeatures?: (offered: bigint) => bigint;
  /** Guest addresses to give queue `index`. */
  queueAddresses?: (index: number) => { desc: bigint; driver: bigint; device: bigint };
  /** Status reads to wait for a reset to complete; default 16. */
  resetPolls?: number;
  /** Upper bound on queues configured; default all the device reports. */
  maxQueues?: number;
}

const commonField = (name: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS): FieldMeta => virtioPciCommonCfgLayout.fields.find((field) => field.name === name)!;

/** Status bits a driver sets during initialisation, in order. */
const INIT_STATUS = [VirtioDeviceStatus.ACKNOWLEDGE, VirtioDeviceStatus.DRIVER, VirtioDeviceStatus.FEATURES_OK, VirtioDeviceStatus.DRIVER_OK];

/** Drives one virtio-pci function from the driver side. */
export class VirtioPciTransport {
  private log: TransportAccess[] = [];
  /** Notification width the last `initialize` negotiated (PCI-DRV-32). */
  private notificationWidth: AccessWidth = notifyWidth(0n);

  constructor(
    private readonly port: PciFunctionPort,
    private readonly options: TransportOptions = {},
  ) {}

  private configRead(offset: number, width: AccessWidth): number {
    const value = this.port.configRead(offset, width) >>> 0;
    this.log.push({ space: 'config', op: 'read', offset, width, value });
    return value;
  }

  private configWrite(offset: number, width: AccessWidth, value: number): void {
    this.log.push({ space: 'config', op: 'write', offset, width, value });
    this.port.configWrite(offset, width, value);
  }

  private barRead(bar: number, offset: number, width: AccessWidth): number {
    const value = this.port.barRead(bar, offset, width) >>> 0;
    this.log.push({ space: 'bar', op: 'read', bar, offset, width, value });
    return value;
  }

  private barWrite(bar: number, offset: number, width: AccessWidth, value: number): void {
    this.log.push({ space: 'bar', op: 'write', bar, offset, width, value });
    this.port.barWrite(bar, offset, width, value);
  }

  /** Reads the config space through config cycles: 256 bytes, or 4096 when offset 0x100 answers. */
  readConfigSpace(): Uint8Array {
    const probe = this.port.configRead(PCI_CFG_SPACE_SIZE, 4) >>> 0;
    const size = probe === 0xffff_ffff ? PCI_CFG_SPACE_SIZE : PCI_CFG_SPACE_EXP_SIZE;
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 4) writeLe(bytes, offset, 4, this.port.configRead(offset, 4));
    return bytes;
  }

  /** Finds the structures a driver uses: the first usable capability of each type (PCI-DRV-07..10). */
  locate(config: Uint8Array = this.readConfigSpace()): LocatedStructures {
    const walk = walkCapabilities(config);
    const preferred = preferredVirtioCapabilities(walk);
    const located = (cfgType: number): LocatedStructure | undefined => {
      const cap = preferred.get(cfgType);
      if (cap?.virtio === undefined) return undefined;
      return { capabilityOffset: cap.offset, bar: cap.virtio.bar, offset: Number(cap.virtio.offset), length: Number(cap.virtio.length) };
    };
    const notify = located(VirtioPciCfgType.NOTIFY_CFG);
    const msix = walk.capabilities.find((cap) => cap.id === PciCapId.MSIX);
    const msixVectors = msix === undefined ? 0 : decodePciMsixCap(config, msix.offset).value.tableSize + 1;
    return {
      walk,
      common: located(VirtioPciCfgType.COMMON_CFG),
      notify: notify === undefined ? undefined : { ...notify, multiplier: preferred.get(VirtioPciCfgType.NOTIFY_CFG)!.virtio!.notifyOffMultiplier ?? 0 },
      isr: located(VirtioPciCfgType.ISR_CFG),
      device: located(VirtioPciCfgType.DEVICE_CFG),
      pciCfg: located(VirtioPciCfgType.PCI_CFG),
      msixVectors,
    };
  }

  /** Runs the initialisation sequence. */
  initialize(): TransportInitResult {
    this.log = [];
    this.notificationWidth = notifyWidth(0n);
    const deviations: TransportDeviation[] = [];
    const command = this.configRead(PCI_TYPE0_HEADER_OFFSETS.command, 2);
    this.configWrite(PCI_TYPE0_HEADER_OFFSETS.command, 2, command | PciCommand.MEMORY | PciCommand.IO | PciCommand.MASTER);
    const structures = this.locate();
    const result = (ok: boolean, extra: Partial<TransportInitResult> = {}): TransportInitResult => ({
      ok,
      offeredFeatures: 0n,
      negotiatedFeatures: 0n,
      queues: [],
      structures,
      deviations,
      log: this.log,
      ...extra,
    });
    const required: [number, string, LocatedStructure | undefined][] = [
      [VirtioPciCfgType.COMMON_CFG, 'PCI-DEV-12', structures.common],
      [VirtioPciCfgType.NOTIFY_CFG, 'PCI-DEV-23', structures.notify],
      [VirtioPciCfgType.ISR_CFG, 'PCI-DEV-28', structures.isr],
      [VirtioPciCfgType.PCI_CFG, 'PCI-DEV-41', structures.pciCfg],
    ];
    for (const [cfgType, requirement, found] of required) {
      if (found === undefined) deviations.push({ code: 'missing-structure', cfgType, requirement, message: `no usable capability of cfg_type ${cfgType}` });
    }
    const common = structures.common;
    const notify = structures.notify;
    if (common === undefined || notify === undefined) return result(false, { failure: 'common or notify structure missing' });

    const read = (name: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS): number => {
      const field = commonField(name);
      return this.barRead(common.bar, common.offset + field.offset, (field.bits / 8) as AccessWidth);
    };
    const write = (name: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS, value: number): void => {
      const field = commonField(name);
      this.barWrite(common.bar, common.offset + field.offset, (field.bits / 8) as AccessWidth, value);
    };
    // 64-bit fields are written as two 32-bit halves, low first (PCI-DRV-05, -06).
    const write64 = (name: 'queueDesc' | 'queueDriver' | 'queueDevice', value: bigint): void => {
      const at = common.offset + commonField(name).offset;
      this.barWrite(common.bar, at, 4, Number(value & 0xffff_ffffn));
      this.barWrite(common.bar, at + 4, 4, Number((value >> 32n) & 0xffff_ffffn));
    };

    // (1) Reset, and wait (bounded) for it to complete.
    write('deviceStatus', 0);
    const polls = this.options.resetPolls ?? 16;
    let status = read('deviceStatus');
    for (let poll = 1; status !== 0 && poll < polls; poll++) status = read('deviceStatus');
    if (status !== 0) {
      deviations.push({ code: 'reset-not-complete', status, polls, requirement: 'PCI-DEV-16', message: `device_status reads ${status} after reset` });
      return result(false, { failure: 'reset did not complete' });
    }
    // (2), (3) ACKNOWLEDGE, DRIVER.
    let driverStatus = 0;
    for (const bit of INIT_STATUS.slice(0, 2)) {
      driverStatus |= bit;
      write('deviceStatus', driverStatus);
    }
    // (4) Features.
    let offered = 0n;
    for (let select = 0; select < FEATURE_WINDOWS; select++) {
      write('deviceFeatureSelect', select);
      offered |= BigInt(read('deviceFeature')) << BigInt(VIRTIO_FEATURE_WINDOW_BITS * select);
    }
    write('deviceFeatureSelect', FEATURE_WINDOWS);
    const beyond = read('deviceFeature');
    if (beyond !== 0) deviations.push({ code: 'feature-window-nonzero', select: FEATURE_WINDOWS, value: beyond, message: `device_feature window ${FEATURE_WINDOWS} reads ${beyond}, past every defined feature` });
    if ((offered & VirtioFeatures.VERSION_1) === 0n) {
      deviations.push({ code: 'version-1-not-offered', offered, message: 'the device does not offer VIRTIO_F_VERSION_1' });
      this.fail(write, driverStatus);
      return result(false, { failure: 'VERSION_1 not offered', offeredFeatures: offered });
    }
    const accept = this.options.acceptFeatures ?? ((features: bigint) => features & (VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM));
    // Never accept what was not offered (§2.2.1), whatever the option returns.
    const accepted = accept(offered) & offered;
    for (let select = 0; select < FEATURE_WINDOWS; select++) {
      write('driverFeatureSelect', select);
      write('driverFeature', Number((accepted >> BigInt(VIRTIO_FEATURE_WINDOW_BITS * select)) & 0xffff_ffffn));
    }
    // (5), (6) FEATURES_OK and its re-read.
    driverStatus |= VirtioDeviceStatus.FEATURES_OK;
    write('deviceStatus', driverStatus);
    status = read('deviceStatus');
    if ((status & VirtioDeviceStatus.FEATURES_OK) === 0) {
      deviations.push({ code: 'features-ok-refused', accepted, status, message: `FEATURES_OK not kept for features ${accepted.toString(16)}` });
      this.fail(write, driverStatus);
      return result(false, { failure: 'FEATURES_OK refused', offeredFeatures: offered, negotiatedFeatures: accepted });
    }
    // (7) Queues.
    const queues: ConfiguredQueue[] = [];
    const numQueues = read('numQueues');
    const packed = (accepted & VirtioFeatures.RING_PACKED) !== 0n;
    const width = notifyWidth(accepted);
    this.notificationWidth = width;
    const configData = (accepted & VirtioFeatures.NOTIF_CONFIG_DATA) !== 0n;
    const limit = Math.min(numQueues, this.options.maxQueues ?? numQueues);
    if (structures.msixVectors > 0) {
      write('configMsixVector', 0);
      const back = read('configMsixVector');
      if (back !== 0 && back !== VIRTIO_MSI_NO_VECTOR) deviations.push({ code: 'vector-readback', queue: 'config', written: 0, read: back, requirement: 'PCI-DEV-49', message: `config_msix_vector reads ${back} after writing 0` });
    }
    for (let index = 0; index < limit; index++) {
      write('queueSelect', index);
      const size = read('queueSize');
      if (size === 0) continue;
      if (!packed && (size & (size - 1)) !== 0) {
        deviations.push({ code: 'queue-size-not-power-of-two', queue: index, size, requirement: 'PCI-DEV-21', message: `queue ${index} size ${size} is not a power of two` });
      }
      const enabled = read('queueEnable');
      if (enabled !== 0) deviations.push({ code: 'queue-enabled-after-reset', queue: index, value: enabled, requirement: 'PCI-DEV-17', message: `queue ${index} reads queue_enable ${enabled} after reset` });
      const notifyOff = read('queueNotifyOff');
      const address = notify.offset + notifyOff * notify.multiplier;
      if (address + width > notify.offset + notify.length) {
        deviations.push({ code: 'notify-out-of-range', queue: index, notifyOff, address, requirement: 'PCI-DEV-27', message: `queue ${index} notify address ${address} lies past the notify structure` });
      }
      const notifyValue = configData ? read('queueNotifConfigData') : index;
      const addresses = this.options.queueAddresses?.(index) ?? { desc: BigInt(index + 1) << 20n, driver: (BigInt(index + 1) << 20n) + 0x4000n, device: (BigInt(index + 1) << 20n) + 0x8000n };
      write64('queueDesc', addresses.desc);
      write64('queueDriver', addresses.driver);
      write64('queueDevice', addresses.device);
      let vector = VIRTIO_MSI_NO_VECTOR;
      if (structures.msixVectors > 0) {
        const wanted = (index + 1) % structures.msixVectors;
        write('queueMsixVector', wanted);
        vector = read('queueMsixVector');
        if (vector !== wanted && vector !== VIRTIO_MSI_NO_VECTOR) {
          deviations.push({ code: 'vector-readback', queue: index, written: wanted, read: vector, requirement: 'PCI-DEV-49', message: `queue ${index} vector reads ${vector} after writing ${wanted}` });
        }
      }
      write('queueEnable', 1);
      const back = read('queueEnable');
      if (back !== 1) deviations.push({ code: 'queue-enable-readback', queue: index, value: back, message: `queue ${index} reads queue_enable ${back} after enabling` });
      queues.push({ index, size, notifyOff, notifyAddress: address, notifyValue, msixVector: vector });
    }
    // (8) DRIVER_OK.
    driverStatus |= VirtioDeviceStatus.DRIVER_OK;
    write('deviceStatus', driverStatus);
    status = read('deviceStatus');
    if (status !== driverStatus) {
      deviations.push({ code: 'status-mismatch', step: 'DRIVER_OK', expected: driverStatus, actual: status, message: `device_status reads ${status}, expected ${driverStatus}` });
    }
    return result((status & VirtioDeviceStatus.DRIVER_OK) !== 0, { offeredFeatures: offered, negotiatedFeatures: accepted, queues });
  }

  /**
   * Sends an available-buffer notification for a configured queue, as the last `initialize`
   * negotiated: 16 bits, or 32 bits carrying `data` with NOTIFICATION_DATA (PCI-DRV-32); the queue's
   * index, or its queue_notif_config_data with NOTIF_CONFIG_DATA (PCI-DRV-33).
   */
  notify(structures: LocatedStructures, queue: ConfiguredQueue, data: NotificationData = {}): void {
    if (structures.notify === undefined) return;
    const width = this.notificationWidth;
    this.barWrite(structures.notify.bar, queue.notifyAddress, width, notificationValue(width, queue.notifyValue, data));
  }

  /** Accesses made since the last `initialize`. */
  accesses(): readonly TransportAccess[] {
    return this.log;
  }

  private fail(write: (name: 'deviceStatus', value: number) => void, status: number): void {
    write('deviceStatus', status | VirtioDeviceStatus.FAILED);
  }
}
