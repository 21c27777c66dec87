/**
 * Mutation operators: each derives minimally broken devices from a conformant subject and the
 * spec's generated metadata, never from knowledge of a particular check.
 *
 * - config-field: every scalar field of the header and of each capability the device places (layout
 *   metadata) reads stuck at zero, stuck at ones, or, where the layout states a constraint, just
 *   outside it; the header device ID also takes each boundary of the virtio ID ranges (constants).
 * - register: every field of the BAR structures (common configuration, ISR, a device configuration
 *   with a layout) stuck at zero or ones or outside its constraint; a driver-writable (RW) field also
 *   drops writes, echoes the last write past the device's rule, survives a reset, or changes on one.
 * - status-flag: each flag of device_status stuck at 0 or 1, refused again after it was set and the
 *   device reset, or read back as the driver wrote it whatever the device decided.
 * - select: each `*_select` register drops values past what the device has, lags one write behind,
 *   or wraps them around.
 * - feature: each feature flag of the generated flag sets toggled in the offer; an undefined bit of
 *   the transport range and the first future-reserved bit offered.
 * - description: each numeric knob of the description nudged until the model's own rules
 *   (`checkDescription`, whose issues name the requirement) call the device non-conformant.
 * - bar-access: each implemented BAR answers narrow reads with 0, is shifted by a dword, or drops writes.
 * - window: the PCI configuration access window ignores cap.bar, drops data writes, or reads 0.
 * - read-side-effect: a driver read of a capability sets a bit elsewhere in config space.
 *
 * A mutant identical to its subject (a field already zero, stuck at zero) is not generated.
 */
import type { FieldConstraintsMeta, LayoutMeta } from '../../core/codec-runtime.ts';
import { PCI_TYPE0_HEADER_OFFSETS, pciType0HeaderLayout, PciStatus } from '../../generated/ts/pci/pci-type0-header.ts';
import { VIRTIO_F_FUTURE_RESERVED_START, VIRTIO_TRANSPORT_F_END, VIRTIO_TRANSPORT_F_START, VirtioDeviceId, VirtioDeviceStatus, VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VirtioIommuFeatures, virtioIommuConfigLayout } from '../../generated/ts/virtio/virtio-iommu-config.ts';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import {
  VIRTIO_PCI_DEVICE_ID_MAX,
  VIRTIO_PCI_DEVICE_ID_MIN,
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
  VIRTIO_PCI_VENDOR_ID,
} from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { virtioPciIsrLayout } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import { checkDescription, DeviceModel, FEATURE_WINDOWS, type VirtioDeviceDescription } from '../../reference-impl/virtio/index.ts';
import type { AccessWidth } from '../../targets/device-target.ts';
import { covers, FaultyFunction, fieldBytes, fieldMask, fieldValue, scalarFields, touches, withField, type Fault, type PlacedField } from './faulty-function.ts';
import type { Subject } from './subjects.ts';

/** The operator families, in the order the kill matrix lists them. */
export const mutantFamilies = ['config-field', 'register', 'status-flag', 'select', 'feature', 'description', 'bar-access', 'window', 'read-side-effect'] as const;

/** A family of mutation operators. */
export type MutantFamily = (typeof mutantFamilies)[number];

/** One minimally broken device. */
export interface Mutant {
  /** `subject/family/what`, stable across runs. */
  readonly id: string;
  readonly subject: string;
  readonly family: MutantFamily;
  /** What is broken, in words. */
  readonly what: string;
  build(): FaultyFunction;
}

/** Which families apply to which subject: every family runs on the subjects whose shape gives it something to break. */
const familiesOf: Record<string, readonly MutantFamily[]> = {
  net: ['config-field', 'register', 'status-flag', 'select', 'feature', 'description', 'bar-access', 'window'],
  'net-transitional': ['config-field', 'bar-access'],
  blk: ['register'],
  iommu: ['register', 'feature'],
  fs: ['config-field', 'description', 'read-side-effect'],
  'net-pio': ['register', 'bar-access', 'window'],
  'iommu-bypass': ['register', 'feature'],
  'fs-regions': ['config-field'],
};

/** Config-space structures the config-field operator mutates on each subject (planned capability names; `header` for the type-0 header). */
const configTargets: Record<string, readonly string[]> = {
  net: ['header', 'common', 'notify', 'isr', 'device', 'pci-cfg', 'msix'],
  'net-transitional': ['header'],
  fs: ['vendor-data-0', 'shared-memory-0'],
  'fs-regions': ['shared-memory-1'],
};

/** BAR structures the register operator mutates: common-config fields added after 1.0 only where the subject offers their feature. */
const registerTargets: Record<string, readonly { structure: 'common' | 'isr' | 'device'; since?: 'later' }[]> = {
  net: [{ structure: 'common' }, { structure: 'isr' }],
  blk: [{ structure: 'common', since: 'later' }],
  'net-pio': [{ structure: 'common', since: 'later' }],
  iommu: [{ structure: 'device' }],
  'iommu-bypass': [{ structure: 'device' }],
};

/** The layout of a device type's configuration, where xvc has one. */
const deviceConfigLayouts = new Map<number, LayoutMeta>([[VirtioDeviceId.IOMMU, virtioIommuConfigLayout]]);

const RESERVED_ACCESS = new Set(['RsvdZ', 'RsvdP']);

function fieldMax(placed: PlacedField): number {
  return 2 ** placed.field.bits - 1;
}

/** A value of the field just outside its constraint, given its current value; undefined when none fits the field. */
export function outsideConstraint(constraints: FieldConstraintsMeta, current: number, max: number): number | undefined {
  const fits = (value: number): number | undefined => (Number.isInteger(value) && value >= 0 && value <= max ? value : undefined);
  if (constraints.const !== undefined) return fits(Number(constraints.const) ^ 1);
  if (constraints.notEqual !== undefined && constraints.notEqual.length > 0) return fits(Number(constraints.notEqual[0]));
  if (constraints.oneOf !== undefined) return fits(Math.max(...constraints.oneOf.map(Number)) + 1);
  if (constraints.range !== undefined) {
    const [low, high] = constraints.range.map(Number) as [number, number];
    return low > 0 ? fits(low - 1) : fits(high + 1);
  }
  if (constraints.powerOfTwo !== undefined) return fits(3);
  if (constraints.multipleOf !== undefined) return fits(current % constraints.multipleOf === 0 ? current + 1 : current);
  if (constraints.align !== undefined) return fits(current % constraints.align === 0 ? current + 1 : current);
  return undefined;
}

/** Replaces the field's bits of every access that touches it by `value(current)`. */
function overlay(placed: PlacedField, start: number, width: number, read: number, value: (current: number) => number): number {
  if (!touches(placed, start, width)) return read;
  // The field's current value needs all its bytes: read wider through the caller when the access covers part of it.
  return withField(placed, start, width, read, value(fieldValue(placed, start, read)));
}

function model(subject: Subject): DeviceModel {
  return new DeviceModel(subject.description);
}

function mutant(subject: Subject, family: MutantFamily, what: string, build: () => FaultyFunction): Mutant {
  return { id: `${subject.id}/${family}/${what}`, subject: subject.id, family, what, build };
}

/** Structures placed in config space, by planned name, with their layouts; `header` at 0. */
function configStructures(device: DeviceModel): Map<string, { at: number; layout: LayoutMeta }> {
  const out = new Map([['header', { at: 0, layout: pciType0HeaderLayout }]]);
  for (const capability of device.capabilities) out.set(capability.name, { at: capability.offset, layout: capability.layout });
  return out;
}

/** A fault making config-space field `placed` read `value(current)` in snapshots and driver reads alike. */
function configFieldFault(placed: PlacedField, value: (current: number) => number): Fault {
  const width = fieldBytes(placed.field);
  return {
    snapshot: (bytes) => {
      let read = 0;
      for (let i = 0; i < width; i++) read += (bytes[placed.at + i] ?? 0) * 2 ** (8 * i);
      const changed = overlay(placed, placed.at, width, read, value);
      for (let i = 0; i < width; i++) bytes[placed.at + i] = Math.floor(changed / 2 ** (8 * i)) & 0xff;
    },
    configRead: (offset, readWidth, read, context) => {
      if (!touches(placed, offset, readWidth)) return read;
      const whole = context.model.configRead(placed.at, width as AccessWidth);
      const current = fieldValue(placed, placed.at, whole);
      return withField(placed, offset, readWidth, read, value(current));
    },
  };
}

function configFieldMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const snapshot = device.snapshot();
  const out: Mutant[] = [];
  const structures = configStructures(device);
  for (const name of configTargets[subject.id] ?? []) {
    const structure = structures.get(name);
    if (structure === undefined) continue;
    for (const placed of scalarFields(structure.layout, structure.at)) {
      if (RESERVED_ACCESS.has(placed.field.access) || ![1, 2, 4].includes(fieldBytes(placed.field))) continue;
      let read = 0;
      for (let i = 0; i < fieldBytes(placed.field); i++) read += (snapshot[placed.at + i] ?? 0) * 2 ** (8 * i);
      const current = fieldValue(placed, placed.at, read);
      const faults: { what: string; value: number }[] = [
        { what: 'stuck at zero', value: 0 },
        { what: 'stuck at ones', value: fieldMax(placed) },
      ];
      const outside = placed.field.constraints === undefined ? undefined : outsideConstraint(placed.field.constraints, current, fieldMax(placed));
      if (outside !== undefined) faults.push({ what: `outside its constraint (${outside})`, value: outside });
      if (placed.path === `${pciType0HeaderLayout.name}.device_id`) {
        const boundaries = [VIRTIO_PCI_DEVICE_ID_MIN, VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX, VIRTIO_PCI_MODERN_DEVICE_ID_BASE, VIRTIO_PCI_DEVICE_ID_MAX];
        for (const boundary of boundaries) faults.push({ what: `at the ID boundary 0x${boundary.toString(16)}`, value: boundary });
      }
      for (const fault of faults) {
        if (fault.value === current) continue;
        out.push(mutant(subject, 'config-field', `${name} ${placed.path} ${fault.what}`, () => new FaultyFunction(subject.id, model(subject), configFieldFault(placed, () => fault.value))));
      }
    }
  }
  return out;
}

/** Where a BAR structure of the device lives and its layout. */
function barStructure(device: DeviceModel, structure: 'common' | 'isr' | 'device'): { bar: number; base: number; layout: LayoutMeta } | undefined {
  const planned = device.capabilities.find((capability) => capability.name === structure);
  if (planned?.range === undefined) return undefined;
  const layout = structure === 'common' ? virtioPciCommonCfgLayout : structure === 'isr' ? virtioPciIsrLayout : deviceConfigLayouts.get(device.description.deviceType);
  return layout === undefined ? undefined : { bar: planned.range.bar, base: Number(planned.range.offset), layout };
}

/** Where device_status is, for faults that act on a reset. */
function statusAt(device: DeviceModel): { bar: number; offset: number } {
  const common = barStructure(device, 'common')!;
  return { bar: common.bar, offset: common.base + VIRTIO_PCI_COMMON_CFG_OFFSETS.deviceStatus };
}

function isReset(device: DeviceModel, bar: number, offset: number, value: number): boolean {
  const at = statusAt(device);
  return bar === at.bar && offset === at.offset && value === 0;
}

/** The kinds of register fault and the fault each makes of field `placed` in BAR `bar`. */
function registerFaults(placed: PlacedField, bar: number): { what: string; fault: () => Fault }[] {
  const width = fieldBytes(placed.field) as AccessWidth;
  const readField = (context: { model: DeviceModel }): number => fieldValue(placed, placed.at, context.model.barRead(bar, placed.at, width));
  const reading = (value: (current: number, context: { model: DeviceModel }) => number | undefined): Fault => ({
    barRead: (b, offset, w, read, context) => {
      if (b !== bar || !touches(placed, offset, w)) return read;
      const replaced = value(readField(context), context);
      return replaced === undefined ? read : withField(placed, offset, w, read, replaced);
    },
  });
  // A field wider than 32 bits is reached in 32-bit halves: it is stuck through masks, and drops writes, but has no value of its own here.
  const masked = (ones: boolean): Fault => ({
    barRead: (b, offset, w, read) => {
      if (b !== bar) return read;
      const mask = fieldMask(placed, offset, w);
      return ones ? (read | mask) >>> 0 : (read & ~mask) >>> 0;
    },
  });
  const wide = placed.field.bits > 32;
  const kinds: { what: string; fault: () => Fault }[] = [
    { what: 'stuck at zero', fault: () => (wide ? masked(false) : reading(() => 0)) },
    { what: 'stuck at ones', fault: () => (wide ? masked(true) : reading(() => fieldMax(placed))) },
  ];
  const constraints = placed.field.constraints;
  if (constraints !== undefined && !wide) kinds.push({ what: 'outside its constraint', fault: () => reading((current) => outsideConstraint(constraints, current, fieldMax(placed))) });
  if (placed.field.access !== 'RW') return kinds;
  kinds.push({ what: 'drops writes', fault: () => ({ barWrite: (b, offset, w) => !(b === bar && touches(placed, offset, w)) }) });
  if (wide) return kinds;
  kinds.push({
    what: 'echoes the last write past the device rule',
    fault: () => {
      let written: number | undefined;
      return {
        barWrite: (b, offset, w, value) => {
          if (b === bar && covers(placed, offset, w)) written = fieldValue(placed, offset, value);
          return true;
        },
        ...reading(() => written),
      };
    },
  });
  kinds.push({
    what: 'survives a reset',
    fault: () => {
      let written: number | undefined;
      let stale: number | undefined;
      return {
        barWrite: (b, offset, w, value, context) => {
          if (b === bar && covers(placed, offset, w)) {
            written = fieldValue(placed, offset, value);
            stale = undefined;
          }
          if (isReset(context.model, b, offset, value)) stale = written;
          return true;
        },
        ...reading(() => stale),
      };
    },
  });
  kinds.push({
    what: 'changes on a reset',
    fault: () => {
      let stale: number | undefined;
      return {
        barWrite: (b, offset, w, value, context) => {
          if (b === bar && covers(placed, offset, w)) stale = undefined;
          if (isReset(context.model, b, offset, value)) stale = readField(context) ^ 1;
          return true;
        },
        ...reading(() => stale),
      };
    },
  });
  return kinds;
}

function registerMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const out: Mutant[] = [];
  for (const target of registerTargets[subject.id] ?? []) {
    const structure = barStructure(device, target.structure);
    if (structure === undefined) continue;
    const since = structure.layout.fields.find((field) => field.since !== undefined)?.since;
    for (const placed of scalarFields(structure.layout, structure.base)) {
      if (RESERVED_ACCESS.has(placed.field.access)) continue;
      if (target.since === 'later' && (placed.field.since === undefined || placed.field.since === since)) continue;
      if (placed.field.type === 'flags') continue;
      for (const kind of registerFaults(placed, structure.bar)) {
        out.push(mutant(subject, 'register', `${placed.path} ${kind.what}`, () => new FaultyFunction(subject.id, model(subject), kind.fault())));
      }
    }
  }
  return out;
}

function statusFlagMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const common = barStructure(device, 'common');
  if (common === undefined) return [];
  const at = common.base + VIRTIO_PCI_COMMON_CFG_OFFSETS.deviceStatus;
  const out: Mutant[] = [];
  for (const [name, mask] of Object.entries(VirtioDeviceStatus)) {
    const onStatus = (value: (read: number) => number): (() => Fault) => () => ({
      barRead: (b, offset, w, read) => (b === common.bar && offset === at && w === 1 ? value(read) : read),
    });
    const faults: { what: string; fault: () => Fault }[] = [
      { what: 'stuck at 0', fault: onStatus((read) => read & ~mask) },
      { what: 'stuck at 1', fault: onStatus((read) => read | mask) },
      {
        what: 'refused again once it was set and the device reset',
        fault: () => {
          let setOnce = false;
          let resetAfter = false;
          return {
            barWrite: (b, offset, _w, v, context) => {
              if (isReset(context.model, b, offset, v) && setOnce) resetAfter = true;
              return true;
            },
            barRead: (b, offset, w, read) => {
              if (b !== common.bar || offset !== at || w !== 1) return read;
              if (resetAfter) return read & ~mask;
              if ((read & mask) !== 0) setOnce = true;
              return read;
            },
          };
        },
      },
      {
        what: 'reads as the driver last wrote it (the device never refuses it)',
        fault: () => {
          let written = 0;
          return {
            barWrite: (b, offset, w, v) => {
              if (b === common.bar && offset === at && w === 1) written = v;
              return true;
            },
            barRead: (b, offset, w, read) => (b === common.bar && offset === at && w === 1 ? (read & ~mask) | (written & mask) : read),
          };
        },
      },
    ];
    for (const fault of faults) out.push(mutant(subject, 'status-flag', `device_status ${name} ${fault.what}`, () => new FaultyFunction(subject.id, model(subject), fault.fault())));
  }
  return out;
}

function selectMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const common = barStructure(device, 'common');
  if (common === undefined) return [];
  const out: Mutant[] = [];
  for (const placed of scalarFields(common.layout, common.base).filter((candidate) => candidate.field.specName.endsWith('_select'))) {
    const isQueue = placed.field.name === 'queueSelect';
    const bound = (context: { model: DeviceModel }): number => (isQueue ? context.model.state.queues.length : FEATURE_WINDOWS);
    const width = fieldBytes(placed.field) as AccessWidth;
    const kinds: { what: string; fault: () => Fault }[] = [
      { what: 'drops values past what the device has', fault: () => ({ barWrite: (b, offset, w, value, context) => !(b === common.bar && covers(placed, offset, w) && fieldValue(placed, offset, value) >= bound(context)) }) },
      {
        what: 'lags one write behind',
        fault: () => {
          let previous = 0;
          return {
            barWrite: (b, offset, w, value, context) => {
              if (b !== common.bar || !covers(placed, offset, w)) return true;
              const now = fieldValue(placed, offset, value);
              context.model.barWrite(b, placed.at, width, previous);
              previous = now;
              return false;
            },
          };
        },
      },
      {
        what: 'wraps values past what the device has',
        fault: () => ({
          barWrite: (b, offset, w, value, context) => {
            if (b !== common.bar || !covers(placed, offset, w)) return true;
            context.model.barWrite(b, placed.at, width, fieldValue(placed, offset, value) % Math.max(1, bound(context)));
            return false;
          },
        }),
      },
    ];
    for (const kind of kinds) out.push(mutant(subject, 'select', `${placed.path} ${kind.what}`, () => new FaultyFunction(subject.id, model(subject), kind.fault())));
  }
  return out;
}

/** `description` rebuilt with allowNonConformant; undefined when the model cannot build it at all. */
function buildable(description: VirtioDeviceDescription): VirtioDeviceDescription | undefined {
  const candidate = { ...description, allowNonConformant: true };
  return checkDescription(candidate).length === 0 ? candidate : undefined;
}

function featureMutants(subject: Subject): Mutant[] {
  const offered = subject.description.features;
  const flags: [string, bigint][] = subject.description.deviceType === VirtioDeviceId.IOMMU ? Object.entries(VirtioIommuFeatures).map(([name, mask]) => [`VIRTIO_IOMMU_F_${name}`, BigInt(mask)]) : [];
  flags.push(...Object.entries(VirtioFeatures).map(([name, mask]): [string, bigint] => [`VIRTIO_F_${name}`, mask]));
  const defined = new Set<bigint>(Object.values(VirtioFeatures));
  const undefinedTransport = Array.from({ length: VIRTIO_TRANSPORT_F_END - VIRTIO_TRANSPORT_F_START }, (_, i) => 1n << BigInt(VIRTIO_TRANSPORT_F_START + i)).find((bit) => !defined.has(bit));
  if (undefinedTransport !== undefined) flags.push([`undefined transport bit ${undefinedTransport.toString(2).length - 1}`, undefinedTransport]);
  flags.push([`reserved bit ${VIRTIO_F_FUTURE_RESERVED_START}`, 1n << BigInt(VIRTIO_F_FUTURE_RESERVED_START)]);
  const out: Mutant[] = [];
  for (const [name, mask] of flags) {
    if (mask >> BigInt(FEATURE_WINDOWS * 32) !== 0n) continue;
    const toggled = buildable({ ...subject.description, features: offered ^ mask });
    if (toggled === undefined) continue;
    const what = `${name} ${(offered & mask) !== 0n ? 'no longer offered' : 'offered'}`;
    out.push(mutant(subject, 'feature', what, () => new FaultyFunction(subject.id, new DeviceModel(toggled))));
  }
  return out;
}

/** Numeric knobs of a description and how to set each. */
const knobs: { name: string; get(d: VirtioDeviceDescription): number | undefined; set(d: VirtioDeviceDescription, value: number): VirtioDeviceDescription }[] = [
  ...(['common', 'notify', 'isr', 'device'] as const).map((name) => ({
    name: `placement.${name}`,
    get: (d: VirtioDeviceDescription) => d.placement[name],
    set: (d: VirtioDeviceDescription, value: number) => ({ ...d, placement: { ...d.placement, [name]: value } }),
  })),
  { name: 'notifyOffMultiplier', get: (d) => d.notifyOffMultiplier, set: (d, value) => ({ ...d, notifyOffMultiplier: value }) },
  { name: 'queues[0].size', get: (d) => d.queues[0]?.size, set: (d, value) => ({ ...d, queues: d.queues.map((queue, i) => (i === 0 ? { ...queue, size: value } : queue)) }) },
  {
    name: 'vendorData[0].vendorId',
    get: (d) => d.vendorData?.[0]?.vendorId,
    set: (d, value) => ({ ...d, vendorData: (d.vendorData ?? []).map((vendor, i) => (i === 0 ? { ...vendor, vendorId: value } : vendor)) }),
  },
];

/** How far a knob is nudged at most, and the values of the spec's constants a knob is also tried at. */
const NUDGES = [1, 2, 3];
const KNOB_CONSTANTS = [VIRTIO_PCI_VENDOR_ID];

function descriptionMutants(subject: Subject): Mutant[] {
  const out: Mutant[] = [];
  for (const knob of knobs) {
    const current = knob.get(subject.description);
    if (current === undefined) continue;
    for (const value of [...NUDGES.map((nudge) => current + nudge), ...KNOB_CONSTANTS]) {
      const changed = knob.set(subject.description, value);
      const issues = checkDescription(changed);
      // Only a change the model's own rules call non-conformant (every issue names a requirement) is a mutant.
      if (issues.length === 0 || issues.some((issue) => issue.requirement === undefined)) continue;
      const built = buildable(changed);
      if (built === undefined) continue;
      out.push(mutant(subject, 'description', `${knob.name} ${current} -> ${value} (${issues.map((issue) => issue.requirement).join(', ')})`, () => new FaultyFunction(subject.id, new DeviceModel(built))));
      break;
    }
  }
  return out;
}

function barAccessMutants(subject: Subject): Mutant[] {
  const sizes = model(subject).barSizes();
  const out: Mutant[] = [];
  sizes.forEach((size, bar) => {
    if (size === 0) return;
    const kinds: { what: string; fault: Fault }[] = [
      { what: 'answers 1- and 2-byte reads with 0', fault: { barRead: (b, _o, w, v) => (b === bar && w < 4 ? 0 : v) } },
      { what: 'is shifted by a dword', fault: { barRead: (b, o, w, v, context) => (b === bar ? context.model.barRead(b, o + 4, w) : v) } },
      { what: 'drops writes', fault: { barWrite: (b) => b !== bar } },
    ];
    for (const kind of kinds) out.push(mutant(subject, 'bar-access', `BAR${bar} ${kind.what}`, () => new FaultyFunction(subject.id, model(subject), kind.fault)));
  });
  return out;
}

function windowMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const window = device.capabilities.find((capability) => capability.name === 'pci-cfg');
  if (window === undefined) return [];
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  /** Where the window points when cap.bar is ignored: the first structure whose range holds cap.offset. */
  const byOffset = (context: { model: DeviceModel }): { bar: number; offset: number; length: AccessWidth } | undefined => {
    const offset = context.model.config.peek(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4);
    const length = context.model.config.peek(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4);
    if (length !== 1 && length !== 2 && length !== 4) return undefined;
    const range = context.model.structureRanges.find((candidate) => BigInt(offset) >= candidate.offset && BigInt(offset + length) <= candidate.offset + candidate.length);
    return range === undefined ? undefined : { bar: range.bar, offset, length };
  };
  const kinds: { what: string; fault: Fault }[] = [
    {
      what: 'ignores cap.bar (routes by cap.offset alone)',
      fault: {
        configRead: (o, _w, v, context) => {
          if (o !== data) return v;
          const target = byOffset(context);
          return target === undefined ? 0 : context.model.barRead(target.bar, target.offset, target.length);
        },
        configWrite: (o, _w, v, context) => {
          if (o !== data) return true;
          const target = byOffset(context);
          if (target !== undefined) context.model.barWrite(target.bar, target.offset, target.length, v);
          return false;
        },
      },
    },
    { what: 'drops pci_cfg_data writes', fault: { configWrite: (o) => o !== data } },
    { what: 'reads pci_cfg_data as 0', fault: { configRead: (o, _w, v) => (o === data ? 0 : v) } },
  ];
  return kinds.map((kind) => mutant(subject, 'window', `PCI_CFG window ${kind.what}`, () => new FaultyFunction(subject.id, model(subject), kind.fault)));
}

function readSideEffectMutants(subject: Subject): Mutant[] {
  const device = model(subject);
  const statusAtConfig = PCI_TYPE0_HEADER_OFFSETS.status;
  return device.capabilities.map((capability) =>
    mutant(subject, 'read-side-effect', `reading the ${capability.name} capability sets PCI status DETECTED_PARITY`, () =>
      new FaultyFunction(subject.id, model(subject), {
        configRead: (o, _w, v, context) => {
          if (o >= capability.offset && o < capability.offset + capability.length) {
            context.model.config.poke(statusAtConfig, 2, context.model.config.peek(statusAtConfig, 2) | PciStatus.DETECTED_PARITY);
          }
          return v;
        },
      }),
    ),
  );
}

const operators: Record<MutantFamily, (subject: Subject) => Mutant[]> = {
  'config-field': configFieldMutants,
  register: registerMutants,
  'status-flag': statusFlagMutants,
  select: selectMutants,
  feature: featureMutants,
  description: descriptionMutants,
  'bar-access': barAccessMutants,
  window: windowMutants,
  'read-side-effect': readSideEffectMutants,
};

/** Every mutant of `subject`, family by family. */
export function mutantsOf(subject: Subject): Mutant[] {
  return (familiesOf[subject.id] ?? []).flatMap((family) => operators[family](subject));
}
