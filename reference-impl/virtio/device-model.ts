/**
 * A live virtio-pci function built from a `VirtioDeviceDescription`: its config space (type-0 header
 * with the virtio ID rules, capability chain from the generated encoders, access semantics from the
 * layouts) and its BARs (common config, notify, ISR, device config, legacy BAR0 for transitional
 * devices, MSI-X table). This is the reference backend the device suites run against.
 *
 * Model choices where the spec leaves the device free: BAR accesses are BAR-relative and decoded
 * whatever the Command register says; bytes of an implemented BAR that no structure claims read 0 and
 * ignore writes, as do BARs that are not implemented; shared memory regions are described but hold
 * no data (read 0); device configuration is read-only to the driver.
 */
import { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_MSIX_CAP_OFFSETS, PCI_MSIX_ENTRY_SIZE, pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { encodePciType0Header, PCI_TYPE0_HEADER_OFFSETS, pciType0HeaderLayout, PciHeaderType, PciStatus } from '../../generated/ts/pci/pci-type0-header.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import {
  VIRTIO_PCI_MODERN_REVISION_MIN,
  VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN,
  VIRTIO_PCI_TRANSITIONAL_REVISION,
  VIRTIO_PCI_VENDOR_ID,
} from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { VIRTIO_PCI_ISR_SIZE } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import { PCI_BAR_IO_MIN_SIZE, PCI_BAR_MEMORY_MIN_SIZE, type BarDefinition } from '../pci/bar-register.ts';
import { ConfigSpace } from '../pci/config-space.ts';
import { isAccessWidth, readLe, writeLe, type AccessWidth } from '../pci/le-bytes.ts';
import { PCI_TYPE0_BAR_COUNT } from '../pci/type0-header.ts';
import { CapabilityPlanError, planCapabilities, type PlannedCapability, type StructureRange } from './capability-plan.ts';
import { CommonConfigRegisters, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
import { checkDescription, pciDeviceId, type DescriptionIssue, type VirtioDeviceDescription } from './device-description.ts';
import { VirtioDeviceState, type NotificationRecord } from './device-state.ts';
import { LegacyRegisters } from './legacy-registers.ts';
import { notifyWidth } from './notification-value.ts';
import { PciCfgWindow } from './pci-cfg-window.ts';

/** The four accesses a driver makes to a PCI function; what `VirtioPciTransport` drives. */
export interface PciFunctionPort {
  configRead(offset: number, width: AccessWidth): number;
  configWrite(offset: number, width: AccessWidth, value: number): void;
  barRead(bar: number, offset: number, width: AccessWidth): number;
  barWrite(bar: number, offset: number, width: AccessWidth, value: number): void;
}

/** A description the model cannot be built from. */
export class DeviceModelError extends Error {
  constructor(
    readonly code: 'bad-description' | 'placement-overlap' | 'bar-too-small' | 'config-space-full' | 'no-free-bar',
    message: string,
    readonly issues: DescriptionIssue[] = [],
  ) {
    super(message);
    this.name = 'DeviceModelError';
  }
}

/** Bit of the MSI-X enable flag inside its Message Control byte. */
const MSIX_ENABLE_BIT = pciMsixCapLayout.fields.find((field) => field.name === 'enable')!.bit;

interface BarHandler {
  size: number;
  read(offset: number, width: AccessWidth): number;
  write(offset: number, width: AccessWidth, value: number): void;
}

interface Structure {
  name: string;
  start: number;
  length: number;
  read(offset: number, width: AccessWidth): number;
  write(offset: number, width: AccessWidth, value: number): void;
}

function powerOfTwoAtLeast(value: number, minimum: number): number {
  let size = minimum;
  while (size < value) size *= 2;
  return size;
}

/** The reference virtio-pci device model. */
export class DeviceModel implements PciFunctionPort {
  readonly description: VirtioDeviceDescription;
  readonly config: ConfigSpace;
  readonly state: VirtioDeviceState;
  readonly common: CommonConfigRegisters;
  readonly legacy?: LegacyRegisters;
  readonly window: PciCfgWindow;
  /** Every capability placed in config space, in list order. */
  readonly capabilities: readonly PlannedCapability[];
  /** BAR ranges the virtio capabilities describe. */
  readonly structureRanges: readonly StructureRange[];
  private readonly bars = new Map<number, BarDefinition>();
  private readonly handlers = new Map<number, BarHandler>();
  private readonly msixOffset?: number;

  constructor(description: VirtioDeviceDescription) {
    const issues = checkDescription(description);
    if (issues.length > 0) throw new DeviceModelError('bad-description', issues.map((issue) => issue.message).join('; '), issues);
    this.description = description;
    const d = description;
    const transitional = d.transitional === true;
    this.state = new VirtioDeviceState({
      offeredFeatures: d.features,
      queues: d.queues,
      deviceConfig: d.deviceConfig ?? new Uint8Array(0),
      msixVectors: d.msixVectors ?? 0,
      requireVersion1: !transitional,
    });
    this.common = new CommonConfigRegisters(this.state, d.commonConfigVersion ?? LATEST_COMMON_CONFIG_VERSION);
    this.config = new ConfigSpace(d.pcie === true ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE);

    const virtioHandler = this.buildVirtioBar();
    const used = new Set<number>();
    const claim = (index: number, bar: BarDefinition, handler: BarHandler): void => {
      this.bars.set(index, bar);
      this.handlers.set(index, handler);
      used.add(index);
      if (bar.is64 === true) used.add(index + 1);
    };
    claim(d.placement.bar, virtioHandler.definition, virtioHandler.handler);
    if (transitional) {
      const legacy = new LegacyRegisters(this.state, () => this.msixEnabled());
      this.legacy = legacy;
      const size = powerOfTwoAtLeast(legacy.length(), PCI_BAR_IO_MIN_SIZE);
      claim(0, { space: 'io', size }, { size, read: (o, w) => legacy.read(o, w), write: (o, w, v) => legacy.write(o, w, v) });
    }
    for (const region of d.sharedMemory ?? []) {
      const existing = this.bars.get(region.bar);
      const needed = Number(region.offset + region.length);
      const size = powerOfTwoAtLeast(Math.max(needed, existing?.size ?? 0), PCI_BAR_MEMORY_MIN_SIZE);
      claim(region.bar, { space: 'memory', is64: true, prefetchable: true, size }, { size, read: () => 0, write: () => {} });
    }
    let msix: { bar: number; tableOffset: number; pbaOffset: number } | undefined;
    const vectors = d.msixVectors ?? 0;
    if (vectors > 0) {
      const bar = d.msixBar ?? [...Array(PCI_TYPE0_BAR_COUNT).keys()].find((slot) => !used.has(slot));
      if (bar === undefined || used.has(bar)) throw new DeviceModelError('no-free-bar', 'no free BAR slot for the MSI-X table');
      const tableBytes = vectors * PCI_MSIX_ENTRY_SIZE;
      // One pending bit per vector, in whole table-entry-sized chunks so the array stays qword aligned.
      const pbaBytes = Math.ceil(Math.ceil(vectors / 8) / PCI_MSIX_ENTRY_SIZE) * PCI_MSIX_ENTRY_SIZE;
      const size = powerOfTwoAtLeast(tableBytes + pbaBytes, PCI_BAR_MEMORY_MIN_SIZE);
      const memory = new Uint8Array(size);
      claim(bar, { space: 'memory', size }, {
        size,
        read: (o, w) => readLe(memory, o, w),
        write: (o, w, v) => {
          if (o + w <= tableBytes) writeLe(memory, o, w, v);
        },
      });
      msix = { bar, tableOffset: 0, pbaOffset: tableBytes };
    }

    let planned: PlannedCapability[];
    try {
      planned = planCapabilities(
        d,
        { commonLength: this.common.length, notifyLength: virtioHandler.notifyLength, isrLength: VIRTIO_PCI_ISR_SIZE, deviceLength: this.state.deviceConfig.length, msix },
        PCI_CFG_SPACE_SIZE,
      );
    } catch (error) {
      if (error instanceof CapabilityPlanError) throw new DeviceModelError('config-space-full', error.message);
      throw error;
    }
    this.capabilities = planned;
    this.structureRanges = planned.flatMap((cap) => (cap.range === undefined ? [] : [cap.range]));
    this.msixOffset = planned.find((cap) => cap.name === 'msix')?.offset;
    this.loadHeader(planned[0]?.offset ?? 0);
    for (const cap of planned) {
      this.config.defineRegion(cap.name, cap.offset, cap.layout, { resolve: (name) => layoutCodecs[name]?.meta, length: cap.length });
      this.config.load(cap.offset, cap.bytes);
    }
    const cfgCap = planned.find((cap) => cap.name === 'pci-cfg')!;
    this.window = new PciCfgWindow(this.config, cfgCap.offset, this.structureRanges, this);
    this.state.onIsrChange = () => this.reflectInterrupt();
    if (this.msixOffset !== undefined) {
      // The INTERRUPT bit depends on MSI-X enable as well as on the ISR, so a Message Control write
      // must recompute it too; otherwise disabling MSI-X with an interrupt pending leaves it stale.
      const enableAt = this.msixOffset + PCI_MSIX_CAP_OFFSETS.enable;
      this.config.addHook({ offset: enableAt, length: 1, afterWrite: () => this.reflectInterrupt() });
    }
  }

  private buildVirtioBar(): { definition: BarDefinition; handler: BarHandler; notifyLength: number } {
    const d = this.description;
    const p = d.placement;
    const state = this.state;
    // Sized for the widest notification the offer allows, so a driver negotiating NOTIFICATION_DATA fits (PCI-DEV-27).
    const lastNotifyOff = Math.max(0, ...state.queues.map((queue) => queue.notifyOff));
    const notifyLength = d.notifyOffMultiplier * lastNotifyOff + notifyWidth(d.features);
    const structures: Structure[] = [
      { name: 'common', start: p.common, length: this.common.length, read: (o, w) => this.common.read(o, w), write: (o, w, v) => this.common.write(o, w, v) },
      {
        name: 'notify',
        start: p.notify,
        length: notifyLength,
        read: () => 0,
        write: (o, _w, v) => {
          const queues = state.queues.filter((queue) => queue.notifyOff * d.notifyOffMultiplier === o).map((queue) => queue.index);
          state.notifications.push({ queues, value: v });
        },
      },
      {
        name: 'isr',
        start: p.isr,
        length: VIRTIO_PCI_ISR_SIZE,
        read: (o) => (o === 0 ? state.readAndClearIsr() : 0),
        write: () => {},
      },
    ];
    if (p.device !== undefined && state.deviceConfig.length > 0) {
      structures.push({ name: 'device', start: p.device, length: state.deviceConfig.length, read: (o, w) => readLe(state.deviceConfig, o, w), write: () => {} });
    }
    for (const a of structures) {
      for (const b of structures) {
        if (a !== b && a.start < b.start + b.length && b.start < a.start + a.length) {
          throw new DeviceModelError('placement-overlap', `${a.name} and ${b.name} overlap in BAR ${p.bar}`);
        }
      }
    }
    const end = Math.max(...structures.map((s) => s.start + s.length));
    const minimum = p.space === 'io' ? PCI_BAR_IO_MIN_SIZE : PCI_BAR_MEMORY_MIN_SIZE;
    const size = p.size ?? powerOfTwoAtLeast(end, minimum);
    if (size < end) throw new DeviceModelError('bar-too-small', `BAR ${p.bar} of ${size} bytes cannot hold structures ending at ${end}`);
    const definition: BarDefinition = { space: p.space, size, is64: p.space === 'memory' && p.is64 === true, prefetchable: p.space === 'memory' && p.prefetchable === true };
    const handler: BarHandler = {
      size,
      read: (offset, width) => {
        const s = structures.find((x) => offset >= x.start && offset + width <= x.start + x.length);
        return s === undefined ? 0 : s.read(offset - s.start, width);
      },
      write: (offset, width, value) => {
        const s = structures.find((x) => offset >= x.start && offset + width <= x.start + x.length);
        s?.write(offset - s.start, width, value);
      },
    };
    return { definition, handler, notifyLength };
  }

  private loadHeader(firstCapability: number): void {
    const d = this.description;
    const transitional = d.transitional === true;
    const classCode = d.classCode ?? 0;
    const header = encodePciType0Header({
      vendorId: VIRTIO_PCI_VENDOR_ID,
      deviceId: pciDeviceId(d)!,
      command: 0,
      status: PciStatus.CAP_LIST,
      revisionId: transitional ? VIRTIO_PCI_TRANSITIONAL_REVISION : (d.revision ?? VIRTIO_PCI_MODERN_REVISION_MIN),
      progIf: classCode & 0xff,
      subClass: (classCode >> 8) & 0xff,
      baseClass: (classCode >> 16) & 0xff,
      cacheLineSize: 0,
      latencyTimer: 0,
      headerLayout: PciHeaderType.NORMAL,
      multiFunction: false,
      bist: 0,
      bar0: 0,
      bar1: 0,
      bar2: 0,
      bar3: 0,
      bar4: 0,
      bar5: 0,
      cardbusCis: 0,
      subsystemVendorId: d.subsystemVendorId ?? VIRTIO_PCI_VENDOR_ID,
      // Transitional devices must report the virtio device ID here (PCI-LEG-02).
      subsystemId: transitional ? d.deviceType : (d.subsystemId ?? VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN),
      romEnable: false,
      romReserved: 0,
      romAddress: 0,
      capabilitiesPointer: firstCapability,
      reserved: new Uint8Array(7),
      interruptLine: 0,
      interruptPin: d.interruptPin ?? 1,
      minGnt: 0,
      maxLat: 0,
    });
    this.config.load(0, header);
    // No expansion ROM: its base register reads 0 whatever is written.
    this.config.defineRegion('header', 0, pciType0HeaderLayout, { overrides: { rom_enable: 'RO', rom_address: 'RO' } });
    this.config.defineBars(this.bars);
  }

  /** True while the MSI-X capability's enable bit is set. */
  msixEnabled(): boolean {
    if (this.msixOffset === undefined) return false;
    return ((this.config.peek(this.msixOffset + PCI_MSIX_CAP_OFFSETS.enable, 1) >> MSIX_ENABLE_BIT) & 1) === 1;
  }

  /** Sets the PCI status INTERRUPT bit to the OR of the ISR bits while MSI-X is off, clears it while on (PCI-DEV-31). */
  private reflectInterrupt(): void {
    const at = PCI_TYPE0_HEADER_OFFSETS.status;
    const status = this.config.peek(at, 2);
    const pending = this.state.isr !== 0 && !this.msixEnabled();
    this.config.poke(at, 2, pending ? status | PciStatus.INTERRUPT : status & ~PciStatus.INTERRUPT);
  }

  /** A driver config read (all-ones for a misaligned or out-of-range access). */
  configRead(offset: number, width: AccessWidth): number {
    return this.config.read(offset, width);
  }

  /** A driver config write, with the access semantics of the layouts. */
  configWrite(offset: number, width: AccessWidth, value: number): void {
    this.config.write(offset, width, value);
  }

  /** A driver BAR read; `bar` is the BAR index (first slot of a 64-bit BAR), `offset` relative to it. */
  barRead(bar: number, offset: number, width: AccessWidth): number {
    const handler = this.handlers.get(bar);
    if (handler === undefined || !isAccessWidth(width) || !Number.isInteger(offset) || offset < 0 || offset + width > handler.size) return 0;
    return handler.read(offset, width);
  }

  /** A driver BAR write. */
  barWrite(bar: number, offset: number, width: AccessWidth, value: number): void {
    const handler = this.handlers.get(bar);
    if (handler === undefined || !isAccessWidth(width) || !Number.isInteger(offset) || offset < 0 || offset + width > handler.size) return;
    handler.write(offset, width, value);
  }

  /** Size of each BAR slot in bytes; 0 for unimplemented slots and for the upper slot of a 64-bit BAR. */
  barSizes(): number[] {
    return Array.from({ length: PCI_TYPE0_BAR_COUNT }, (_, slot) => this.bars.get(slot)?.size ?? 0);
  }

  /** The config bytes as a dump would show them (no side effects). */
  snapshot(): Uint8Array {
    return this.config.snapshot();
  }

  /** Device side: changes device configuration bytes (generation and ISR follow). */
  updateDeviceConfig(offset: number, bytes: Uint8Array): boolean {
    return this.state.updateDeviceConfig(offset, bytes);
  }

  /** Device side: signals used buffers (sets the ISR queue bit). */
  raiseQueueInterrupt(): void {
    this.state.raiseQueueInterrupt();
  }

  /** Notifications the driver sent, oldest first. */
  notifications(): readonly NotificationRecord[] {
    return this.state.notifications;
  }
}
