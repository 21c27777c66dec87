/**
 * The modern common configuration structure (VS13 §4.1.4.3) as BAR registers over a
 * `VirtioDeviceState`. Reads encode the current view with the generated encoder; writes merge the
 * written bytes, decode, and apply each touched driver-writable field by its rule. Fields added in a
 * later spec version than the structure's (`since`) read 0 and ignore writes.
 */
import type { FieldMeta } from '../../core/codec-runtime.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import {
  decodeVirtioPciCommonCfg,
  encodeVirtioPciCommonCfg,
  VIRTIO_PCI_COMMON_CFG_SIZE,
  virtioPciCommonCfgLayout,
  type VirtioPciCommonCfg,
} from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { readLe, type AccessWidth } from '../pci/le-bytes.ts';
import { featureWindow, type VirtioDeviceState } from './device-state.ts';
import { compareVersions } from './spec-version.ts';

/** Newest spec version the generated common-config metadata knows: the largest `since` of its fields. */
export const LATEST_COMMON_CONFIG_VERSION: string = virtioPciCommonCfgLayout.fields
  .map((field) => field.since)
  .filter((since): since is string => since !== undefined)
  .reduce((newest, since) => (compareVersions(since, newest) > 0 ? since : newest));

/** The common-config fields present in the structure of spec version `version`. */
export function commonConfigFields(version: string): FieldMeta[] {
  return virtioPciCommonCfgLayout.fields.filter((field) => field.since === undefined || compareVersions(field.since, version) <= 0);
}

/** Length in bytes of the common configuration structure of spec version `version`. */
export function commonConfigLength(version: string): number {
  return commonConfigFields(version).reduce((end, field) => Math.max(end, field.offset + Math.ceil((field.bit + field.bits) / 8)), 0);
}

/**
 * The values of the whole-byte `fields` after a little-endian write of `width` bytes of `value` at
 * `offset`: each touched field keeps its bytes outside the write and takes the written ones inside.
 * Equal to merging the bytes into the encoded structure and decoding it, without either.
 */
export function mergeWrittenBytes(current: VirtioPciCommonCfg, fields: readonly FieldMeta[], offset: number, width: AccessWidth, value: number): VirtioPciCommonCfg {
  const merged = { ...current } as unknown as Record<string, number | bigint>;
  for (const field of fields) {
    const size = field.bits / 8;
    const old = merged[field.name]!;
    const writtenByte = (address: number): number | undefined => (address >= offset && address < offset + width ? Math.floor(value / 2 ** (8 * (address - offset))) & 0xff : undefined);
    if (typeof old === 'bigint') {
      let next = 0n;
      for (let index = size - 1; index >= 0; index--) next = (next << 8n) | BigInt(writtenByte(field.offset + index) ?? Number((old >> BigInt(8 * index)) & 0xffn));
      merged[field.name] = next;
    } else {
      let next = 0;
      for (let index = size - 1; index >= 0; index--) next = next * 256 + (writtenByte(field.offset + index) ?? Math.floor(old / 2 ** (8 * index)) & 0xff);
      merged[field.name] = next;
    }
  }
  return merged as unknown as VirtioPciCommonCfg;
}

/** Register view of the common configuration structure. */
export class CommonConfigRegisters {
  readonly length: number;
  private readonly present: FieldMeta[];
  private readonly absentBytes: Uint8Array;
  /** For each byte of the structure, the present whole-byte field it belongs to (reads need no full image). */
  private readonly fieldAt: (FieldMeta | undefined)[];
  /** Whether every present field is whole bytes, so a read can be served field by field. */
  private readonly wholeBytes: boolean;

  constructor(
    private readonly state: VirtioDeviceState,
    readonly version: string,
  ) {
    this.present = commonConfigFields(version);
    this.length = commonConfigLength(version);
    this.absentBytes = new Uint8Array(VIRTIO_PCI_COMMON_CFG_SIZE).fill(1);
    for (const field of this.present) this.absentBytes.fill(0, field.offset, field.offset + Math.ceil((field.bit + field.bits) / 8));
    this.wholeBytes = this.present.every((field) => field.bit === 0 && field.bits % 8 === 0);
    this.fieldAt = new Array<FieldMeta | undefined>(VIRTIO_PCI_COMMON_CFG_SIZE).fill(undefined);
    for (const field of this.present) for (let byte = field.offset; byte < field.offset + field.bits / 8; byte++) this.fieldAt[byte] = field;
  }

  /** The structure as the driver would see it now (no side effects). */
  view(): VirtioPciCommonCfg {
    const s = this.state;
    const queue = s.selectedQueue();
    return {
      deviceFeatureSelect: s.deviceFeatureSelect,
      deviceFeature: featureWindow(s.offeredFeatures, s.deviceFeatureSelect),
      driverFeatureSelect: s.driverFeatureSelect,
      driverFeature: featureWindow(s.driverFeatures, s.driverFeatureSelect),
      configMsixVector: s.configMsixVector,
      numQueues: s.queues.length,
      deviceStatus: s.status,
      configGeneration: s.configGeneration,
      queueSelect: s.queueSelect,
      queueSize: queue?.size ?? 0,
      queueMsixVector: queue?.msixVector ?? VIRTIO_MSI_NO_VECTOR,
      queueEnable: queue?.enabled === true ? 1 : 0,
      queueNotifyOff: queue?.notifyOff ?? 0,
      queueDesc: queue?.desc ?? 0n,
      queueDriver: queue?.driver ?? 0n,
      queueDevice: queue?.device ?? 0n,
      // The model's notification value for a queue is its index.
      queueNotifConfigData: queue?.index ?? 0,
      // Queue resets complete at once, so the register never reads 1.
      queueReset: 0,
      // No admin queues: admin_queue_num 0, and an index past the regular queues (PCI-DEV-22).
      adminQueueIndex: s.queues.length,
      adminQueueNum: 0,
    };
  }

  private image(): Uint8Array {
    const bytes = encodeVirtioPciCommonCfg(this.view());
    for (let i = 0; i < bytes.length; i++) if (this.absentBytes[i] === 1) bytes[i] = 0;
    return bytes;
  }

  /**
   * A driver read; offsets outside the structure read 0. Served from the fields the access touches
   * rather than a full encode: a driver (and the device suite's queue sweep) reads thousands of times.
   */
  read(offset: number, width: AccessWidth): number {
    if (offset < 0 || offset + width > this.length) return 0;
    if (!this.wholeBytes) return readLe(this.image(), offset, width);
    const view = this.view() as unknown as Record<string, number | bigint>;
    let value = 0;
    for (let index = width - 1; index >= 0; index--) {
      const field = this.fieldAt[offset + index];
      let byte = 0;
      if (field !== undefined) {
        const fieldValue = view[field.name];
        const shift = 8 * (offset + index - field.offset);
        byte = typeof fieldValue === 'bigint' ? Number((fieldValue >> BigInt(shift)) & 0xffn) : shift >= 32 ? 0 : ((fieldValue ?? 0) >>> shift) & 0xff;
      }
      value = value * 256 + byte;
    }
    return value;
  }

  /**
   * A driver write; read-only, absent and untouched fields keep their value. Like a read, it is
   * served from the fields the access touches: the device suite's queue sweep writes queue_select
   * 130,000 times per function, and a full encode and decode per write was a fifth of `xvc run`.
   */
  write(offset: number, width: AccessWidth, value: number): void {
    if (offset < 0 || offset + width > this.length) return;
    const touched = this.present.filter((field) => field.offset < offset + width && field.offset + Math.ceil((field.bit + field.bits) / 8) > offset);
    const written = this.wholeBytes ? mergeWrittenBytes(this.view(), touched, offset, width, value) : this.writtenFromImage(offset, width, value);
    for (const field of touched) {
      if (field.access !== 'RW' && field.access !== 'WO' && field.access !== 'driver-writable') continue;
      this.apply(field.name as keyof VirtioPciCommonCfg, written);
    }
  }

  /** Every field's value after merging the written bytes into the whole structure (fields that are not whole bytes). */
  private writtenFromImage(offset: number, width: AccessWidth, value: number): VirtioPciCommonCfg {
    const bytes = this.image();
    for (let i = 0; i < width; i++) bytes[offset + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
    return decodeVirtioPciCommonCfg(bytes).value;
  }

  private apply(name: keyof VirtioPciCommonCfg, written: VirtioPciCommonCfg): void {
    const s = this.state;
    const queue = s.selectedQueue();
    switch (name) {
      case 'deviceFeatureSelect':
        s.deviceFeatureSelect = written.deviceFeatureSelect;
        return;
      case 'driverFeatureSelect':
        s.driverFeatureSelect = written.driverFeatureSelect;
        return;
      case 'driverFeature':
        s.writeDriverFeatureWindow(s.driverFeatureSelect, written.driverFeature);
        return;
      case 'configMsixVector':
        s.configMsixVector = s.mapVector(written.configMsixVector);
        return;
      case 'deviceStatus':
        s.writeStatus(written.deviceStatus);
        return;
      case 'queueSelect':
        s.queueSelect = written.queueSelect;
        return;
      case 'queueSize':
        s.writeQueueSize(written.queueSize);
        return;
      case 'queueMsixVector':
        if (queue !== undefined) queue.msixVector = s.mapVector(written.queueMsixVector);
        return;
      case 'queueEnable':
        // Only enabling is a driver action; writing 0 is forbidden to drivers (PCI-DRV-17) and ignored.
        if (queue !== undefined && written.queueEnable === 1) queue.enabled = true;
        return;
      case 'queueDesc':
        if (queue !== undefined && !queue.enabled) queue.desc = written.queueDesc;
        return;
      case 'queueDriver':
        if (queue !== undefined && !queue.enabled) queue.driver = written.queueDriver;
        return;
      case 'queueDevice':
        if (queue !== undefined && !queue.enabled) queue.device = written.queueDevice;
        return;
      case 'queueReset':
        if (queue !== undefined && written.queueReset === 1 && s.negotiated(VirtioFeatures.RING_RESET)) {
          queue.enabled = false;
          queue.size = queue.maxSize;
          queue.desc = 0n;
          queue.driver = 0n;
          queue.device = 0n;
        }
        return;
      default:
        return;
    }
  }
}
