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
import { XvcError } from '../../core/xvc-error.ts';
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
import { VIRTIO_PCI_LEGACY_CFG_OFFSETS } from '../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import type { BarDefinition } from '../pci/bar-register.ts';
import { ConfigSpace } from '../pci/config-space.ts';
import { isAccessWidth, readLe, writeLe, type AccessWidth } from '../pci/le-bytes.ts';
import { PCI_TYPE0_BAR_COUNT } from '../pci/type0-header.ts';
import { planBars, structureExtents, type StructureExtent } from './bar-plan.ts';
import { CapabilityPlanError, planCapabilities, type PlannedCapability, type StructureRange } from './capability-plan.ts';
import { CommonConfigRegisters, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
import { checkDescription, pciDeviceId, type DescriptionIssue, type VirtioDeviceDescription } from './device-description.ts';
import { VirtioDeviceState, type NotificationRecord } from './device-state.ts';
import { fieldMaxValue, layoutField } from './layout-fields.ts';
import { LegacyRegisters } from './legacy-registers.ts';
import { PciCfgWindow } from './pci-cfg-window.ts';

/** The four accesses a driver makes to a PCI function; what `VirtioPciTransport` drives. */
export interface PciFunctionPort {
  configRead(offset: number, width: AccessWidth): number;
  configWrite(offset: number, width: AccessWidth, value: number): void;
  barRead(bar: number, offset: number, width: AccessWidth): number;
  barWrite(bar: number, offset: number, width: AccessWidth, value: number): void;
}

/** A description the model cannot be built from. */
export class DeviceModelError extends XvcError<'deviceModelBadDescription' | 'configSpaceFull'> {
  constructor(
    problem: 'deviceModelBadDescription' | 'configSpaceFull',
    message: string,
    readonly issues: DescriptionIssue[] = [],
  ) {
    super(problem, message, { issues });
  }
}

/** Width in bytes of the PCI Status register. */
const STATUS_WIDTH = (layoutField(pciType0HeaderLayout, 'status').bits / 8) as AccessWidth;

/** Bit of the MSI-X enable flag inside its Message Control byte. */
const MSIX_ENABLE_BIT = layoutField(pciMsixCapLayout, 'enable').bit;

/**
 * One byte of the 24-bit class code: the class code is the three header bytes from prog_if up, least
 * significant first, so each field's shift is its distance from prog_if.
 */
function classCodeByte(classCode: number, field: 'progIf' | 'subClass' | 'baseClass'): number {
  const shift = 8 * (PCI_TYPE0_HEADER_OFFSETS[field] - PCI_TYPE0_HEADER_OFFSETS.progIf);
  return Math.floor(classCode / 2 ** shift) & fieldMaxValue(layoutField(pciType0HeaderLayout, field));
}

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
  /** A legacy driver's status write hit the fend-off BAR0: every BAR reads 0 and ignores writes from now on. */
  private fenced = false;

  constructor(description: VirtioDeviceDescription) {
    const issues = checkDescription(description);
    if (issues.length > 0) throw new DeviceModelError('deviceModelBadDescription', issues.map((issue) => issue.message).join('; '), issues);
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

    // checkDescription passed, so the plan has no issues: every BAR below can be implemented.
    const plan = planBars(d);
    const extents = structureExtents(d);
    for (const [index, definition] of plan.bars) {
      this.bars.set(index, definition);
      const owner = plan.owners.get(index)!;
      if (owner === 'virtio') {
        this.handlers.set(index, this.virtioBarHandler(definition.size, extents));
      } else if (owner === 'legacy') {
        const legacy = new LegacyRegisters(this.state, () => this.msixEnabled());
        this.legacy = legacy;
        this.handlers.set(index, { size: definition.size, read: (o, w) => legacy.read(o, w), write: (o, w, v) => legacy.write(o, w, v) });
      } else if (owner === 'shared-memory') {
        this.handlers.set(index, { size: definition.size, read: () => 0, write: () => {} });
      } else if (owner === 'notify-io') {
        // Multiplier 0: every queue notifies at offset 0, and the value says which queue.
        this.handlers.set(index, {
          size: definition.size,
          read: () => 0,
          write: (_o, _w, v) => void this.state.notifications.push({ queues: this.state.queues.map((queue) => queue.index), value: v }),
        });
      } else if (owner === 'fend-off') {
        this.handlers.set(index, {
          size: definition.size,
          read: () => 0,
          write: (o, w, v) => {
            if (o === VIRTIO_PCI_LEGACY_CFG_OFFSETS.deviceStatus && w === 1 && v === 0) this.fenced = true;
          },
        });
      } else {
        const memory = new Uint8Array(definition.size);
        const tableBytes = plan.msix!.tableBytes;
        this.handlers.set(index, {
          size: definition.size,
          read: (o, w) => readLe(memory, o, w),
          write: (o, w, v) => {
            if (o + w <= tableBytes) writeLe(memory, o, w, v);
          },
        });
      }
    }
    const msix = plan.msix === undefined ? undefined : { bar: plan.msix.bar, tableOffset: plan.msix.tableOffset, pbaOffset: plan.msix.pbaOffset };
    const length = (name: StructureExtent['name']): number => extents.find((extent) => extent.name === name)?.length ?? 0;

    let planned: PlannedCapability[];
    try {
      planned = planCapabilities(
        d,
        { commonLength: length('common'), notifyLength: length('notify'), isrLength: length('isr'), deviceLength: length('device'), msix },
        PCI_CFG_SPACE_SIZE,
      );
    } catch (error) {
      if (error instanceof CapabilityPlanError) throw new DeviceModelError('configSpaceFull', error.message);
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

  /** Serves the virtio structures at their extents; bytes no structure claims read 0 and ignore writes. */
  private virtioBarHandler(size: number, extents: readonly StructureExtent[]): BarHandler {
    const d = this.description;
    const state = this.state;
    const access: Record<StructureExtent['name'], Pick<Structure, 'read' | 'write'>> = {
      common: { read: (o, w) => this.common.read(o, w), write: (o, w, v) => this.common.write(o, w, v) },
      notify: {
        read: () => 0,
        write: (o, _w, v) => {
          const queues = state.queues.filter((queue) => queue.notifyOff * d.notifyOffMultiplier === o).map((queue) => queue.index);
          state.notifications.push({ queues, value: v });
        },
      },
      isr: { read: (o) => (o === 0 ? state.readAndClearIsr() : 0), write: () => {} },
      device: { read: (o, w) => readLe(state.deviceConfig, o, w), write: () => {} },
    };
    const structures: Structure[] = extents.map((extent) => ({ ...extent, ...access[extent.name] }));
    const find = (offset: number, width: number): Structure | undefined => structures.find((x) => offset >= x.start && offset + width <= x.start + x.length);
    return {
      size,
      read: (offset, width) => {
        const s = find(offset, width);
        return s === undefined ? 0 : s.read(offset - s.start, width);
      },
      write: (offset, width, value) => {
        const s = find(offset, width);
        s?.write(offset - s.start, width, value);
      },
    };
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
      progIf: classCodeByte(classCode, 'progIf'),
      subClass: classCodeByte(classCode, 'subClass'),
      baseClass: classCodeByte(classCode, 'baseClass'),
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
    const status = this.config.peek(at, STATUS_WIDTH);
    const pending = this.state.isr !== 0 && !this.msixEnabled();
    this.config.poke(at, STATUS_WIDTH, pending ? status | PciStatus.INTERRUPT : status & ~PciStatus.INTERRUPT);
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
    if (this.fenced || handler === undefined || !isAccessWidth(width) || !Number.isInteger(offset) || offset < 0 || offset + width > handler.size) return 0;
    return handler.read(offset, width);
  }

  /** A driver BAR write. */
  barWrite(bar: number, offset: number, width: AccessWidth, value: number): void {
    const handler = this.handlers.get(bar);
    if (this.fenced || handler === undefined || !isAccessWidth(width) || !Number.isInteger(offset) || offset < 0 || offset + width > handler.size) return;
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
