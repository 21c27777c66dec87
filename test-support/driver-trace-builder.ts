/**
 * Synthetic driver traces for the driver checks' tests: a builder that records accesses the way the
 * guest target's decoder would (structure, offset from the layouts, width, value, field name), and a
 * conformant initialisation in the order Linux's virtio-pci driver performs it, which a test then
 * breaks in one place. Offsets come from the generated layouts; values are test data.
 */
import { PCI_MSIX_CAP_OFFSETS } from '../generated/ts/pci/pci-msix-cap.ts';
import { PCI_MSIX_TABLE_ENTRY_OFFSETS } from '../generated/ts/pci/pci-msix-table-entry.ts';
import { PCI_TYPE0_HEADER_OFFSETS } from '../generated/ts/pci/pci-type0-header.ts';
import { VirtioDeviceStatus, VirtioFeaturesBits } from '../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { VIRTIO_PCI_LEGACY_CFG_OFFSETS } from '../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { PCI_MSIX_ENTRY_SIZE } from '../generated/ts/pci/pci-msix-cap.ts';
import { driverSession, type BootFacts, type DriverCheckInput } from '../conformance/driver/index.ts';
import type { DriverTrace, GuestMarker, GuestPhase, TraceAccess, TraceCapability, TraceDevice, TraceInterrupt, TraceStructure } from '../targets/driver-trace.ts';

type CommonField = keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS;
type LegacyField = keyof typeof VIRTIO_PCI_LEGACY_CFG_OFFSETS;

const BYTE_BITS = 8;
const COMMON_BAR = 4;
const MSIX_BAR = 1;
/** Structure offsets in the BAR, as QEMU lays them out (test data). */
const COMMON_AT = 0x0;
const ISR_AT = 0x1000;
const DEVICE_AT = 0x2000;
const NOTIFY_AT = 0x3000;
const STRUCTURE_LENGTH = 0x1000;
/** Capability offsets in configuration space (test data). */
const MSIX_CAP = 0x98;

/** The modern device the builder pretends to drive: a virtio-net with two queues (test data). */
export function modernDevice(overrides: Partial<TraceDevice> = {}): TraceDevice {
  const caps: TraceCapability[] = [
    { capOffset: 0x40, cfgType: VirtioPciCfgType.COMMON_CFG, bar: COMMON_BAR, id: 0, offset: COMMON_AT, length: STRUCTURE_LENGTH, reserved: false },
    { capOffset: 0x50, cfgType: VirtioPciCfgType.ISR_CFG, bar: COMMON_BAR, id: 0, offset: ISR_AT, length: STRUCTURE_LENGTH, reserved: false },
    { capOffset: 0x60, cfgType: VirtioPciCfgType.DEVICE_CFG, bar: COMMON_BAR, id: 0, offset: DEVICE_AT, length: STRUCTURE_LENGTH, reserved: false },
    { capOffset: 0x70, cfgType: VirtioPciCfgType.NOTIFY_CFG, bar: COMMON_BAR, id: 0, offset: NOTIFY_AT, length: STRUCTURE_LENGTH, notifyOffMultiplier: 4, reserved: false },
    { capOffset: 0x84, cfgType: VirtioPciCfgType.PCI_CFG, bar: 0, id: 0, offset: 0, length: 0, reserved: false },
  ];
  return {
    qemuType: 'virtio-net-pci',
    bdf: '00:03.0',
    vendorId: 0x1af4,
    deviceId: 0x1041,
    revisionId: 1,
    virtioDeviceId: 1,
    transitional: false,
    capabilities: caps,
    msix: { capOffset: MSIX_CAP, tableSize: 2, tableBar: MSIX_BAR, tableOffset: 0, pbaBar: MSIX_BAR, pbaOffset: 0x800 },
    bars: [
      { index: MSIX_BAR, io: false, base: 0xc000_0000, size: 0x1000 },
      { index: COMMON_BAR, io: false, base: 0xc000_4000, size: 0x4000 },
    ],
    ...overrides,
  };
}

/** A transitional device without virtio capabilities (QEMU disable-modern=on; test data). */
export function legacyOnlyDevice(): TraceDevice {
  return modernDevice({ deviceId: 0x1000, revisionId: 0, transitional: true, capabilities: [], bars: [{ index: 0, io: true, base: 0xc000, size: 0x20 }] });
}

/** Builds a trace access by access. */
export class TraceBuilder {
  readonly accesses: TraceAccess[] = [];
  readonly markers: GuestMarker[] = [];
  readonly interrupts: TraceInterrupt[] = [];
  phase: GuestPhase = 'probe';

  constructor(readonly device: TraceDevice = modernDevice()) {}

  private push(access: Omit<TraceAccess, 'index' | 'line' | 'phase'>): this {
    this.accesses.push({ ...access, index: this.accesses.length, line: this.accesses.length + 1, phase: this.phase });
    return this;
  }

  /** A guest marker at this point (`load`, `ready`, ...). */
  mark(name: string, detail = ''): this {
    this.markers.push({ name, detail, at: this.accesses.length });
    return this;
  }

  /** An MSI the device sends at this point (data: the vector's message data). */
  interrupt(data: number): this {
    this.interrupts.push({ at: this.accesses.length, line: this.accesses.length + 1, address: 0xfee0_1004, data });
    return this;
  }

  /** A configuration-space access. */
  config(op: 'read' | 'write', offset: number, width: number, value: number, field?: string): this {
    return this.push({ op, structure: 'config', offset, width, value, ...(field !== undefined && { field }) });
  }

  /** An access to a common configuration field (natural width, or `width` to break it). */
  common(op: 'read' | 'write', field: CommonField, value: number, options: { half?: 0 | 1; width?: number } = {}): this {
    const meta = virtioPciCommonCfgLayout.fields.find((f) => f.name === field)!;
    const bytes = meta.bits / BYTE_BITS;
    const offset = VIRTIO_PCI_COMMON_CFG_OFFSETS[field] + (options.half === 1 ? 4 : 0);
    return this.push({ op, structure: 'common', bar: COMMON_BAR, barOffset: COMMON_AT + offset, offset, width: options.width ?? Math.min(bytes, 4), value, field: meta.specName });
  }

  /** An access to the legacy BAR0 header. */
  legacy(op: 'read' | 'write', field: LegacyField, value: number, width?: number): this {
    const offset = VIRTIO_PCI_LEGACY_CFG_OFFSETS[field];
    const bytes: Partial<Record<LegacyField, number>> = { deviceFeatures: 4, driverFeatures: 4, queueAddress: 4, queueSize: 2, queueSelect: 2, queueNotify: 2, deviceStatus: 1, isrStatus: 1 };
    return this.push({ op, structure: 'legacy', bar: 0, barOffset: offset, offset, width: width ?? bytes[field] ?? 1, value });
  }

  /** A write at offset `offset` of the notification structure. */
  notify(offset: number, value: number, width = 2): this {
    return this.push({ op: 'write', structure: 'notify', bar: COMMON_BAR, barOffset: NOTIFY_AT + offset, offset, width, value, field: 'queue_notify' });
  }

  /** An access to the ISR. */
  isr(value: number): this {
    return this.push({ op: 'read', structure: 'isr', bar: COMMON_BAR, barOffset: ISR_AT, offset: 0, width: 1, value, field: 'virtio_pci_isr' });
  }

  /** An access to the device configuration. */
  deviceConfig(op: 'read' | 'write', offset: number, width: number, value: number): this {
    return this.push({ op, structure: 'device', bar: COMMON_BAR, barOffset: DEVICE_AT + offset, offset, width, value });
  }

  /** MSI-X on or off through the capability's Message Control (enable is bit 15). */
  msixEnable(enabled: boolean): this {
    return this.config('write', MSIX_CAP + PCI_MSIX_CAP_OFFSETS.tableSize, 2, enabled ? 0x8000 : 0);
  }

  /** Programs MSI-X table entry `entry`. */
  msixEntry(entry: number): this {
    const base = entry * PCI_MSIX_ENTRY_SIZE;
    const structure: TraceStructure = 'msix-table';
    for (const [offset, value] of [
      [PCI_MSIX_TABLE_ENTRY_OFFSETS.messageAddressLow, 0xfee0_1004],
      [PCI_MSIX_TABLE_ENTRY_OFFSETS.messageData, 0x26 + entry],
    ] as const) {
      this.push({ op: 'write', structure, bar: MSIX_BAR, barOffset: base + offset, offset: base + offset, width: 4, value });
    }
    return this;
  }

  /** The trace so far. */
  build(): DriverTrace {
    return { device: this.device, accesses: [...this.accesses], markers: [...this.markers], deviceStatus: [], interrupts: [...this.interrupts], lines: this.accesses.length, problems: [], truncated: false };
  }
}

const { ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK } = VirtioDeviceStatus;
/** Features the device offers in the conformant trace: EVENT_IDX and INDIRECT_DESC (window 0), VERSION_1 (window 1). */
export const OFFERED_LOW = (1 << VirtioFeaturesBits.EVENT_IDX) | (1 << VirtioFeaturesBits.INDIRECT_DESC) | 0x20;
export const OFFERED_HIGH = 1 << (VirtioFeaturesBits.VERSION_1 - 32);

/** What the conformant initialisation may be told to do differently. */
export interface InitOptions {
  queues?: number;
  /** Features offered in window 1 (default VERSION_1). */
  offeredHigh?: number;
  /** Features accepted in window 1 (default: what is offered). */
  acceptedHigh?: number;
  acceptedLow?: number;
  queueSize?: number;
}

/** Appends a conformant modern initialisation, as Linux 6.1 performs it, with one notification per queue after DRIVER_OK. */
export function conformantInit(b: TraceBuilder, options: InitOptions = {}): TraceBuilder {
  const queues = options.queues ?? 2;
  const offeredHigh = options.offeredHigh ?? OFFERED_HIGH;
  b.mark('load');
  b.common('write', 'deviceStatus', 0).common('read', 'deviceStatus', 0);
  b.common('read', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE);
  b.common('read', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER);
  b.common('write', 'deviceFeatureSelect', 0).common('read', 'deviceFeature', OFFERED_LOW);
  b.common('write', 'deviceFeatureSelect', 1).common('read', 'deviceFeature', offeredHigh);
  b.common('write', 'driverFeatureSelect', 0).common('write', 'driverFeature', options.acceptedLow ?? OFFERED_LOW);
  b.common('write', 'driverFeatureSelect', 1).common('write', 'driverFeature', options.acceptedHigh ?? offeredHigh);
  b.common('read', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK);
  b.common('read', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK);
  b.msixEnable(true).msixEntry(0);
  b.common('write', 'configMsixVector', 0).common('read', 'configMsixVector', 0);
  b.common('read', 'numQueues', queues);
  for (let q = 0; q < queues; q++) {
    b.common('write', 'queueSelect', q).common('read', 'queueSize', 256);
    b.common('write', 'queueSize', options.queueSize ?? 256);
    b.common('write', 'queueDesc', 0x10_0000 * (q + 1)).common('write', 'queueDesc', 0, { half: 1 });
    b.common('write', 'queueDriver', 0x10_1000 * (q + 1)).common('write', 'queueDriver', 0, { half: 1 });
    b.common('write', 'queueDevice', 0x10_2000 * (q + 1)).common('write', 'queueDevice', 0, { half: 1 });
    b.msixEntry(q + 1);
    b.common('write', 'queueMsixVector', q + 1).common('read', 'queueMsixVector', q + 1);
    b.common('read', 'queueNotifyOff', q);
  }
  for (let q = 0; q < queues; q++) b.common('write', 'queueSelect', q).common('write', 'queueEnable', 1);
  b.common('read', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
  for (let q = 0; q < queues; q++) b.notify(q * 4, q);
  b.mark('ready', 'device=virtio0 status=0x0000000f');
  return b;
}

/** A conformant trace: the initialisation, then a reset the driver waits for (driver removal). */
export function conformantTrace(options: InitOptions = {}): DriverTrace {
  const b = conformantInit(new TraceBuilder(), options);
  b.phase = 'unbind';
  b.common('write', 'deviceStatus', 0).common('read', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE);
  return b.build();
}

/** A conformant legacy-interface initialisation (the driver uses BAR0), as Linux's legacy path performs it. */
export function conformantLegacyTrace(device: TraceDevice = legacyOnlyDevice()): DriverTrace {
  const b = new TraceBuilder(device);
  b.mark('load');
  b.legacy('write', 'deviceStatus', 0).legacy('read', 'deviceStatus', 0);
  b.legacy('read', 'deviceStatus', 0).legacy('write', 'deviceStatus', ACKNOWLEDGE);
  b.legacy('read', 'deviceStatus', ACKNOWLEDGE).legacy('write', 'deviceStatus', ACKNOWLEDGE | DRIVER);
  b.legacy('read', 'deviceFeatures', OFFERED_LOW).legacy('write', 'driverFeatures', OFFERED_LOW);
  b.legacy('write', 'queueSelect', 0).legacy('read', 'queueSize', 256).legacy('write', 'queueAddress', 0x1000);
  b.legacy('read', 'deviceStatus', ACKNOWLEDGE | DRIVER).legacy('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | DRIVER_OK);
  b.legacy('write', 'queueNotify', 0);
  b.mark('ready');
  return b.build();
}

/** The PCI header offset of the device ID, for tests that read it. */
export const DEVICE_ID_OFFSET = PCI_TYPE0_HEADER_OFFSETS.deviceId;

/** What a check sees for `trace`: the session from its start and a guest that booted and finished normally. */
export function checkInput(trace: DriverTrace, boot: Partial<BootFacts> = {}): DriverCheckInput {
  return {
    trace,
    session: driverSession(trace),
    boot: { reachedInit: true, finished: true, ending: 'powered-off', noDriver: false, legacyDriverRequested: false, driverTransitional: true, ...boot },
  };
}
