/**
 * Turns QEMU's trace of a guest boot into a {@link DriverTrace}: every configuration-space and BAR
 * access to the device under test, decoded with the generated layouts.
 *
 * How each part is learnt:
 * - Configuration accesses come from `pci_cfg_read`/`pci_cfg_write` for the device (QEMU names it by
 *   type). Those events carry no width; the width is that of the port or ECAM access QEMU traced right
 *   next to it (`pci-conf-data`, `pcie-mmcfg-mmio` regions).
 * - The capabilities (which structure lives where) are decoded from the configuration bytes the
 *   guest read, with the reference capability walker.
 * - BAR bases follow the guest's BAR writes in order; sizes come from its all-ones sizing probes.
 * - A BAR access (`memory_region_ops_*` on QEMU's `virtio-pci*` and `msix-*` regions) is placed by
 *   its absolute address: which BAR, then which capability's range, or the MSI-X table or PBA, or the
 *   legacy header of a transitional device's I/O BAR0.
 * - The guest's progress markers (`xvc-guest: NAME DETAIL`, printed through the kernel log) are read
 *   back from the serial port writes in the same trace, so they sit exactly between the accesses.
 *
 * Never throws on input: lines it cannot use are skipped, and what it could not place is listed in
 * `problems`. Reading stops after `maxLines` (then `truncated` is set).
 */
import { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { decodePciBarMem32, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_IO_MASK, PCI_BASE_ADDRESS_MEM_MASK, PCI_BASE_ADDRESS_SPACE_IO, PCI_STD_NUM_BARS, PciBarMemType } from '../../generated/ts/pci/pci-bar-mem32.ts';
import { decodePciMsixCap, PCI_MSIX_ENTRY_SIZE, pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { pciMsixTableEntryLayout } from '../../generated/ts/pci/pci-msix-table-entry.ts';
import { PCI_TYPE0_HEADER_OFFSETS, pciType0HeaderLayout } from '../../generated/ts/pci/pci-type0-header.ts';
import { pciCapHeaderLayout } from '../../generated/ts/pci/pci-cap-header.ts';
import { VirtioDeviceId } from '../../generated/ts/virtio/virtio-core.ts';
import { virtioPciCap64Layout } from '../../generated/ts/virtio/virtio-pci-cap64.ts';
import { virtioPciCapLayout, VirtioPciCfgType, virtioPciCfgTypeNames } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { virtioPciCfgCapLayout } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import {
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN,
  virtioPciTransitionalDeviceIdNames,
} from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { virtioPciIsrLayout } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import { virtioPciLegacyCfgMsixLayout } from '../../generated/ts/virtio/virtio-pci-legacy-cfg-msix.ts';
import { virtioPciLegacyCfgLayout } from '../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { virtioPciNotifyCapLayout } from '../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { decodeBarProbe, walkCapabilities, type WalkedCapability } from '../../reference-impl/pci/index.ts';
import type { DeviceStatusEvent, DriverTrace, GuestMarker, GuestPhase, TraceAccess, TraceBar, TraceCapability, TraceDevice, TraceInterrupt, TraceMsix, TraceStructure } from '../driver-trace.ts';
import { fieldNameAt, layoutFieldNamed } from './field-names.ts';
import { GUEST_MARKER_PREFIX, phaseOfMarker } from './guest-markers.ts';
import { parseTraceLine } from './qemu-trace-lines.ts';

/** QEMU's regions for configuration mechanism #1 data and ECAM: their accesses give a config access its width. */
const CONFIG_MECHANISM_REGIONS = new Set(['pci-conf-data', 'pcie-mmcfg-mmio']);
/** QEMU's MSI window region: a device-initiated write there is an interrupt the device sent. */
const MSI_REGION = 'apic-msi';
/** QEMU's serial port region: the kernel console writes every character there. */
const SERIAL_REGION = 'serial';
/** A config event and the port/ECAM access QEMU traces for it are this many lines apart at most. */
const PAIRING_DISTANCE = 3;
/** Longest console line kept while looking for markers. */
const MAX_CONSOLE_LINE = 512;
/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 50;
/** Default bound on the lines read. */
export const DEFAULT_MAX_TRACE_LINES = 20_000_000;
const BYTE_BITS = 8;
const LOW_DWORD = 2 ** 32;

type Collected =
  | { kind: 'cfg'; line: number; op: 'read' | 'write'; offset: number; value: number; width?: number }
  | { kind: 'region'; line: number; op: 'read' | 'write'; address: number; value: number; size: number; region: string }
  | { kind: 'status'; line: number; value: number }
  | { kind: 'interrupt'; line: number; address: number; data: number }
  | { kind: 'marker'; line: number; name: string; detail: string };

/** What the decoder needs to know about the device. */
export interface DecodeOptions {
  /** QEMU device type of the device under test, as `pci_cfg_*` events name it (`virtio-net-pci`). */
  qemuType: string;
  maxLines?: number;
}

function isPciCfg(region: string): boolean {
  return region.startsWith('virtio-pci') || region === 'msix-table' || region === 'msix-pba';
}

/** Pass 1: the events about the device, the markers, and the widths of configuration accesses. */
async function collect(lines: AsyncIterable<string> | Iterable<string>, options: DecodeOptions): Promise<{ events: Collected[]; bdf?: string; lines: number; unparsed: number; truncated: boolean }> {
  const maxLines = options.maxLines ?? DEFAULT_MAX_TRACE_LINES;
  const events: Collected[] = [];
  let lineNo = 0;
  let unparsed = 0;
  let bdf: string | undefined;
  let lastMechanismWrite: { line: number; size: number } | undefined;
  let pendingRead: Extract<Collected, { kind: 'cfg' }> | undefined;
  // Per serial address (only the data register carries text), the current console line and, for
  // each of its characters, how many events preceded it.
  const consoleLines = new Map<number, { text: string; at: number[]; line: number[] }>();
  const onSerialByte = (address: number, byte: number): void => {
    const current = consoleLines.get(address) ?? { text: '', at: [], line: [] };
    if (byte === 0x0a || byte === 0x0d) {
      const markerAt = current.text.indexOf(GUEST_MARKER_PREFIX);
      if (markerAt >= 0) {
        const [name = '', ...rest] = current.text.slice(markerAt + GUEST_MARKER_PREFIX.length).trim().split(/\s+/);
        // The marker goes where its first character was written: before any access made after the guest printed it.
        events.splice(current.at[markerAt]!, 0, { kind: 'marker', line: current.line[markerAt]!, name, detail: rest.join(' ') });
      }
      consoleLines.delete(address);
      return;
    }
    current.text += String.fromCharCode(byte);
    current.at.push(events.length);
    current.line.push(lineNo);
    if (current.text.length > MAX_CONSOLE_LINE) {
      current.text = current.text.slice(-MAX_CONSOLE_LINE);
      current.at = current.at.slice(-MAX_CONSOLE_LINE);
      current.line = current.line.slice(-MAX_CONSOLE_LINE);
    }
    consoleLines.set(address, current);
  };
  for await (const line of lines) {
    lineNo++;
    if (lineNo > maxLines) return { events, ...(bdf !== undefined && { bdf }), lines: lineNo - 1, unparsed, truncated: true };
    const event = parseTraceLine(line);
    if (!event) {
      if (/^(?:\d+@\d+\.\d+:)?(pci_cfg_|memory_region_ops_|virtio_set_status)/.test(line)) unparsed++;
      continue;
    }
    if (event.kind === 'set-status') {
      events.push({ kind: 'status', line: lineNo, value: event.value });
      continue;
    }
    if (event.kind === 'pci-config') {
      if (event.device !== options.qemuType) continue;
      bdf ??= `${event.bus.toString(16).padStart(2, '0')}:${event.slot.toString(16).padStart(2, '0')}.${event.fn}`;
      const item: Extract<Collected, { kind: 'cfg' }> = { kind: 'cfg', line: lineNo, op: event.op, offset: event.offset, value: event.value };
      if (event.op === 'write' && lastMechanismWrite && lineNo - lastMechanismWrite.line <= PAIRING_DISTANCE) item.width = lastMechanismWrite.size;
      if (event.op === 'read') pendingRead = item;
      events.push(item);
      continue;
    }
    if (CONFIG_MECHANISM_REGIONS.has(event.region) && event.cpu >= 0) {
      if (event.op === 'write') lastMechanismWrite = { line: lineNo, size: event.size };
      else if (pendingRead && lineNo - pendingRead.line <= PAIRING_DISTANCE) pendingRead.width = event.size;
      pendingRead = undefined;
      continue;
    }
    if (event.region === MSI_REGION && event.op === 'write' && event.cpu < 0) {
      events.push({ kind: 'interrupt', line: lineNo, address: event.address, data: event.value });
      continue;
    }
    if (event.region === SERIAL_REGION && event.op === 'write' && event.cpu >= 0) {
      onSerialByte(event.address, event.value & 0xff);
      continue;
    }
    if (event.cpu >= 0 && isPciCfg(event.region)) events.push({ kind: 'region', line: lineNo, op: event.op, address: event.address, value: event.value, size: event.size, region: event.region });
  }
  return { events, ...(bdf !== undefined && { bdf }), lines: lineNo, unparsed, truncated: false };
}

/** Pass 2: configuration space as the guest read it, and what it says about the device. */
function describeDevice(events: readonly Collected[], qemuType: string, bdf: string | undefined): { device: TraceDevice; walked: WalkedCapability[] } {
  const image = new Uint8Array(PCI_CFG_SPACE_EXP_SIZE);
  const known = new Uint8Array(PCI_CFG_SPACE_EXP_SIZE);
  let extended = false;
  for (const event of events) {
    if (event.kind !== 'cfg' || event.op !== 'read' || event.width === undefined) continue;
    for (let i = 0; i < event.width && event.offset + i < image.length; i++) {
      image[event.offset + i] = Math.floor(event.value / 2 ** (BYTE_BITS * i)) & 0xff;
      known[event.offset + i] = 1;
    }
    if (event.offset >= PCI_CFG_SPACE_SIZE) extended = true;
  }
  const u16 = (offset: number): number | undefined => (known[offset] && known[offset + 1] ? image[offset]! | (image[offset + 1]! << BYTE_BITS) : undefined);
  const u8 = (offset: number): number | undefined => (known[offset] ? image[offset] : undefined);
  const deviceId = u16(PCI_TYPE0_HEADER_OFFSETS.deviceId);
  const walk = walkCapabilities(image.subarray(0, extended ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE));
  const capabilities: TraceCapability[] = [];
  let msix: TraceMsix | undefined;
  for (const cap of walk.capabilities) {
    if (cap.virtio) {
      const v = cap.virtio;
      capabilities.push({
        capOffset: cap.offset,
        // A driver need not read cap_len (Linux does not): unknown unless the trace shows it.
        ...(cap.length !== undefined && known[cap.offset + virtioPciCapLayout.fields.find((f) => f.specName === 'cap_len')!.offset] === 1 && { capLen: cap.length }),
        cfgType: v.cfgType,
        bar: v.bar,
        id: v.id,
        offset: Number(v.offset),
        length: Number(v.length),
        ...(v.notifyOffMultiplier !== undefined && { notifyOffMultiplier: v.notifyOffMultiplier }),
        reserved: v.reserved,
      });
    } else if (cap.id === PciCapId.MSIX) {
      const value = decodePciMsixCap(image, cap.offset).value;
      const unit = 2 ** layoutFieldNamed(pciMsixCapLayout, 'table_offset')!.bit;
      // Only registers the guest read are known: an unread PBA register would place the PBA at BAR0+0.
      const read = (field: string): boolean => {
        const meta = layoutFieldNamed(pciMsixCapLayout, field)!;
        const from = cap.offset + meta.offset;
        return known.subarray(from, from + Math.ceil((meta.bit + meta.bits) / BYTE_BITS)).every((byte) => byte === 1);
      };
      if (read('table_size')) {
        msix = {
          capOffset: cap.offset,
          tableSize: value.tableSize,
          ...(read('table_offset') && { tableBar: value.tableBir, tableOffset: value.tableOffset * unit }),
          ...(read('pba_offset') && { pbaBar: value.pbaBir, pbaOffset: value.pbaOffset * unit }),
        };
      }
    }
  }
  const device: TraceDevice = {
    qemuType,
    ...(bdf !== undefined && { bdf }),
    ...(u16(PCI_TYPE0_HEADER_OFFSETS.vendorId) !== undefined && { vendorId: u16(PCI_TYPE0_HEADER_OFFSETS.vendorId)! }),
    ...(deviceId !== undefined && { deviceId }),
    ...(u8(PCI_TYPE0_HEADER_OFFSETS.revisionId) !== undefined && { revisionId: u8(PCI_TYPE0_HEADER_OFFSETS.revisionId)! }),
    ...(u16(PCI_TYPE0_HEADER_OFFSETS.subsystemId) !== undefined && { subsystemId: u16(PCI_TYPE0_HEADER_OFFSETS.subsystemId)! }),
    ...(virtioIdOf(deviceId) !== undefined && { virtioDeviceId: virtioIdOf(deviceId)! }),
    transitional: deviceId !== undefined && deviceId >= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN && deviceId <= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
    capabilities,
    ...(msix !== undefined && { msix }),
    bars: [],
  };
  return { device, walked: walk.capabilities };
}

/** The virtio device type a PCI device ID stands for. */
export function virtioIdOf(deviceId: number | undefined): number | undefined {
  if (deviceId === undefined) return undefined;
  if (deviceId >= VIRTIO_PCI_MODERN_DEVICE_ID_BASE && deviceId <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX) return deviceId - VIRTIO_PCI_MODERN_DEVICE_ID_BASE;
  const name = virtioPciTransitionalDeviceIdNames[String(deviceId)];
  return name === undefined ? undefined : (VirtioDeviceId as Record<string, number>)[name];
}

/** The layout of a virtio capability, for naming its fields. */
function capabilityLayout(cfgType: number): LayoutMeta {
  if (cfgType === VirtioPciCfgType.NOTIFY_CFG) return virtioPciNotifyCapLayout;
  if (cfgType === VirtioPciCfgType.PCI_CFG) return virtioPciCfgCapLayout;
  if (cfgType === VirtioPciCfgType.SHARED_MEMORY_CFG) return virtioPciCap64Layout;
  return virtioPciCapLayout;
}

/** Names a configuration-space access: a header field, or a field of the capability it falls in. */
function configFieldName(offset: number, width: number | undefined, walked: readonly WalkedCapability[], device: TraceDevice): string | undefined {
  const header = fieldNameAt(pciType0HeaderLayout, offset, width);
  if (header !== undefined && offset < pciType0HeaderLayout.size) return header;
  const sorted = [...walked].sort((a, b) => a.offset - b.offset);
  const cap = sorted.filter((c) => c.offset <= offset).at(-1);
  if (!cap) return undefined;
  const within = offset - cap.offset;
  const virtio = device.capabilities.find((c) => c.capOffset === cap.offset);
  if (virtio) {
    const next = sorted.find((c) => c.offset > cap.offset)?.offset;
    if (within >= (virtio.capLen ?? (next === undefined ? Number.POSITIVE_INFINITY : next - cap.offset))) return undefined;
    const layout = capabilityLayout(virtio.cfgType);
    // The notify capability nests virtio_pci_cap in its first 16 bytes: name those fields, not the whole nested struct.
    const name = layout === virtioPciNotifyCapLayout && within < virtioPciCapLayout.size ? fieldNameAt(virtioPciCapLayout, within, width) : fieldNameAt(layout, within, width);
    const type = virtioPciCfgTypeNames[String(virtio.cfgType)] ?? `cfg_type ${virtio.cfgType}`;
    return name === undefined ? undefined : `${layout.name}[${type}].${name}`;
  }
  if (cap.id === PciCapId.MSIX) {
    const name = fieldNameAt(pciMsixCapLayout, within, width);
    return name === undefined ? undefined : `${pciMsixCapLayout.name}.${name}`;
  }
  const name = fieldNameAt(pciCapHeaderLayout, within, width);
  return name === undefined ? `capability 0x${cap.id.toString(16)}+0x${within.toString(16)}` : `capability 0x${cap.id.toString(16)}.${name}`;
}

/** Pass 3 state: the BARs as the guest programmed them so far. */
class BarState {
  private readonly registers: Array<number | undefined> = new Array(PCI_STD_NUM_BARS).fill(undefined);
  private readonly probing: boolean[] = new Array(PCI_STD_NUM_BARS).fill(false);
  private readonly probes: Array<number | undefined> = new Array(PCI_STD_NUM_BARS).fill(undefined);

  /** Follows a dword access to BAR slot `index`. */
  access(index: number, op: 'read' | 'write', value: number): void {
    if (op === 'write') {
      // All ones is the sizing probe (digest §4.2): the value read next is the mask, not an address.
      this.probing[index] = value === 0xffff_ffff;
      if (!this.probing[index]) this.registers[index] = value;
    } else if (this.probing[index]) {
      this.probes[index] = value;
      this.probing[index] = false;
    } else this.registers[index] = value;
  }

  /** The BARs with a known base. */
  bars(): TraceBar[] {
    const bars: TraceBar[] = [];
    for (let index = 0; index < PCI_STD_NUM_BARS; index++) {
      const register = this.registers[index];
      if (register === undefined) continue;
      const io = (register & PCI_BASE_ADDRESS_SPACE_IO) !== 0;
      const is64 = !io && decodePciBarMem32(new Uint8Array([register & 0xff, 0, 0, 0])).value.memType === PciBarMemType.MEM64;
      const low = (register & (io ? PCI_BASE_ADDRESS_IO_MASK : PCI_BASE_ADDRESS_MEM_MASK)) >>> 0;
      const base = is64 ? low + (this.registers[index + 1] ?? 0) * LOW_DWORD : low;
      const probe = this.probes[index];
      const size = probe === undefined ? undefined : Number(decodeBarProbe(probe, is64 ? this.probes[index + 1] : undefined).size);
      // Base 0 is an unimplemented slot, or one the guest has not placed yet.
      if (base !== 0) bars.push({ index, io, base, ...(size !== undefined && size > 0 && { size }) });
      if (is64) index++;
    }
    return bars;
  }
}

/** Where in the device a BAR access landed. */
function place(address: number, io: boolean, bars: readonly TraceBar[], device: TraceDevice, msixEnabled: boolean): { structure: TraceStructure; bar: number; barOffset: number; offset: number; field?: string } | undefined {
  const bar = bars
    .filter((b) => b.io === io && b.base <= address && (b.size === undefined || address < b.base + b.size))
    .sort((a, b) => b.base - a.base)[0];
  if (!bar || bar.base === 0) return undefined;
  const barOffset = address - bar.base;
  const msix = device.msix;
  if (msix && msix.tableOffset !== undefined && msix.tableBar === bar.index && barOffset >= msix.tableOffset && barOffset < msix.tableOffset + (msix.tableSize + 1) * PCI_MSIX_ENTRY_SIZE) {
    const offset = barOffset - msix.tableOffset;
    const entry = Math.floor(offset / PCI_MSIX_ENTRY_SIZE);
    const name = fieldNameAt(pciMsixTableEntryLayout, offset % PCI_MSIX_ENTRY_SIZE, undefined);
    return { structure: 'msix-table', bar: bar.index, barOffset, offset, ...(name !== undefined && { field: `msix_table[${entry}].${name}` }) };
  }
  if (msix && msix.pbaOffset !== undefined && msix.pbaBar === bar.index && barOffset >= msix.pbaOffset && barOffset < msix.pbaOffset + Math.ceil((msix.tableSize + 1) / BYTE_BITS)) {
    return { structure: 'msix-pba', bar: bar.index, barOffset, offset: barOffset - msix.pbaOffset, field: 'msix_pba' };
  }
  for (const cap of device.capabilities) {
    if (cap.reserved || cap.bar !== bar.index || barOffset < cap.offset || barOffset >= cap.offset + cap.length) continue;
    const offset = barOffset - cap.offset;
    switch (cap.cfgType) {
      case VirtioPciCfgType.COMMON_CFG:
        return { structure: 'common', bar: bar.index, barOffset, offset };
      case VirtioPciCfgType.NOTIFY_CFG:
        return { structure: 'notify', bar: bar.index, barOffset, offset, field: 'queue_notify' };
      case VirtioPciCfgType.ISR_CFG:
        return { structure: 'isr', bar: bar.index, barOffset, offset, field: virtioPciIsrLayout.name };
      case VirtioPciCfgType.DEVICE_CFG:
        return { structure: 'device', bar: bar.index, barOffset, offset, field: `device_config+0x${offset.toString(16)}` };
      default:
        continue;
    }
  }
  if (device.transitional && bar.index === 0 && bar.io) {
    const layout = msixEnabled ? virtioPciLegacyCfgMsixLayout : virtioPciLegacyCfgLayout;
    const field = barOffset < layout.size ? undefined : `device_config+0x${(barOffset - layout.size).toString(16)}`;
    return { structure: 'legacy', bar: bar.index, barOffset, offset: barOffset, ...(field !== undefined && { field }) };
  }
  return { structure: 'bar', bar: bar.index, barOffset, offset: barOffset };
}

/** Names a BAR access of known width inside its structure. */
function barFieldName(structure: TraceStructure, offset: number, width: number, msixEnabled: boolean): string | undefined {
  if (structure === 'common') return fieldNameAt(virtioPciCommonCfgLayout, offset, width);
  if (structure === 'legacy') return fieldNameAt(msixEnabled ? virtioPciLegacyCfgMsixLayout : virtioPciLegacyCfgLayout, offset, width);
  return undefined;
}

/**
 * Decodes the trace `lines` of one guest boot for the device of type `options.qemuType`. Lines may
 * come from a file stream; at most `options.maxLines` are read.
 */
export async function decodeDriverTrace(lines: AsyncIterable<string> | Iterable<string>, options: DecodeOptions): Promise<DriverTrace> {
  const collected = await collect(lines, options);
  const { device, walked } = describeDevice(collected.events, options.qemuType, collected.bdf);
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (text: string): void => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  if (collected.unparsed > 0) problem(`${collected.unparsed} trace line(s) of the traced events could not be parsed`);
  const bars = new BarState();
  const accesses: TraceAccess[] = [];
  const markers: GuestMarker[] = [];
  const deviceStatus: DeviceStatusEvent[] = [];
  const interrupts: TraceInterrupt[] = [];
  let phase: GuestPhase = 'boot';
  let msixEnabled = false;
  const msixEnable = layoutFieldNamed(pciMsixCapLayout, 'enable')!;
  for (const event of collected.events) {
    switch (event.kind) {
      case 'marker':
        markers.push({ name: event.name, detail: event.detail, at: accesses.length });
        phase = phaseOfMarker[event.name] ?? phase;
        break;
      case 'status':
        deviceStatus.push({ at: accesses.length, line: event.line, value: event.value });
        break;
      case 'interrupt':
        interrupts.push({ at: accesses.length, line: event.line, address: event.address, data: event.data });
        break;
      case 'cfg': {
        const width = event.width;
        const slot = (event.offset - PCI_BASE_ADDRESS_0) / 4;
        if ((width === 4 || width === undefined) && Number.isInteger(slot) && slot >= 0 && slot < PCI_STD_NUM_BARS) bars.access(slot, event.op, event.value);
        const enableByte = device.msix ? device.msix.capOffset + msixEnable.offset : -1;
        if (enableByte >= event.offset && enableByte < event.offset + (width ?? 1)) {
          msixEnabled = ((Math.floor(event.value / 2 ** (BYTE_BITS * (enableByte - event.offset))) >> msixEnable.bit) & 1) === 1;
        }
        const field = configFieldName(event.offset, width, walked, device);
        accesses.push({
          index: accesses.length,
          line: event.line,
          phase,
          op: event.op,
          structure: 'config',
          offset: event.offset,
          ...(width !== undefined && { width }),
          value: event.value,
          ...(field !== undefined && { field }),
        });
        break;
      }
      case 'region': {
        const io = event.region === 'virtio-pci' || event.region.endsWith('-pio');
        const placed = place(event.address, io, bars.bars(), device, msixEnabled);
        if (!placed) {
          if (event.region.startsWith('virtio-pci')) problem(`line ${event.line}: ${event.region} access at 0x${event.address.toString(16)} lies in no BAR the guest programmed`);
          break;
        }
        const field = placed.field !== undefined && placed.structure !== 'legacy' ? placed.field : (barFieldName(placed.structure, placed.offset, event.size, msixEnabled) ?? placed.field);
        const entryField = placed.structure === 'msix-table' ? msixFieldName(placed.offset, event.size) : field;
        accesses.push({
          index: accesses.length,
          line: event.line,
          phase,
          op: event.op,
          structure: placed.structure,
          bar: placed.bar,
          barOffset: placed.barOffset,
          offset: placed.offset,
          width: event.size,
          value: event.value,
          ...(entryField !== undefined && { field: entryField }),
        });
        break;
      }
    }
  }
  if (problemCount > problems.length) problems.push(`... and ${problemCount - problems.length} more`);
  return { device: { ...device, bars: bars.bars() }, accesses, markers, deviceStatus, interrupts, lines: collected.lines, problems, truncated: collected.truncated };
}

function msixFieldName(offset: number, width: number): string | undefined {
  const entry = Math.floor(offset / PCI_MSIX_ENTRY_SIZE);
  const name = fieldNameAt(pciMsixTableEntryLayout, offset % PCI_MSIX_ENTRY_SIZE, width);
  return name === undefined ? undefined : `msix_table[${entry}].${name}`;
}
