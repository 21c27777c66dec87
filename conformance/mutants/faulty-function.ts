/**
 * A reference device with one fault: a PCI function over a `DeviceModel` whose accesses pass through
 * a {@link Fault} that may change what a read returns, drop or reroute a write, or lie in the
 * snapshot. Mutants are built from these; the conformant subject is the same function without a fault.
 */
import type { FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import type { DeviceModel } from '../../reference-impl/virtio/index.ts';
import { TargetError, type AccessWidth, type PciFunction } from '../../targets/device-target.ts';
import type { DeviceSideControl } from '../../targets/reference-device.ts';

/** What a fault sees: the model behind the function, to read and change state the way a broken device would. */
export interface FaultContext {
  readonly model: DeviceModel;
}

/** One way a device is broken. Every hook is optional; a hook that is absent changes nothing. */
export interface Fault {
  /** A driver config read: returns what the broken device answers. */
  configRead?(offset: number, width: AccessWidth, value: number, context: FaultContext): number;
  /** A driver config write: false drops it (the hook may have done something else instead). */
  configWrite?(offset: number, width: AccessWidth, value: number, context: FaultContext): boolean;
  barRead?(bar: number, offset: number, width: AccessWidth, value: number, context: FaultContext): number;
  barWrite?(bar: number, offset: number, width: AccessWidth, value: number, context: FaultContext): boolean;
  /** Changes the bytes a snapshot shows (the same lie config reads tell). */
  snapshot?(bytes: Uint8Array, context: FaultContext): void;
}

/** The reference device model behind `fault`, as a live PCI function with device-side control. */
export class FaultyFunction implements PciFunction {
  readonly live = true;
  readonly truncated = false;
  readonly configSize: number;
  readonly deviceSide: DeviceSideControl;
  private readonly context: FaultContext;

  constructor(
    readonly id: string,
    readonly model: DeviceModel,
    private readonly fault: Fault = {},
  ) {
    this.configSize = model.snapshot().length;
    this.context = { model };
    this.deviceSide = {
      changeDeviceConfig: (offset, bytes) => model.updateDeviceConfig(offset, bytes),
      raiseQueueInterrupt: () => model.raiseQueueInterrupt(),
    };
  }

  async snapshot(): Promise<Uint8Array> {
    const bytes = this.model.snapshot();
    this.fault.snapshot?.(bytes, this.context);
    return bytes;
  }

  async readConfig(offset: number, width: AccessWidth): Promise<number> {
    this.checkConfig(offset, width);
    const value = this.model.configRead(offset, width);
    return this.fault.configRead ? this.fault.configRead(offset, width, value, this.context) >>> 0 : value;
  }

  async writeConfig(offset: number, width: AccessWidth, value: number): Promise<void> {
    this.checkConfig(offset, width);
    if (this.fault.configWrite?.(offset, width, value, this.context) === false) return;
    this.model.configWrite(offset, width, value);
  }

  async readBar(bar: number, offset: number, width: AccessWidth): Promise<number> {
    const value = this.model.barRead(bar, offset, width);
    return this.fault.barRead ? this.fault.barRead(bar, offset, width, value, this.context) >>> 0 : value;
  }

  async writeBar(bar: number, offset: number, width: AccessWidth, value: number): Promise<void> {
    if (this.fault.barWrite?.(bar, offset, width, value, this.context) === false) return;
    this.model.barWrite(bar, offset, width, value);
  }

  async barSizes(): Promise<number[]> {
    return this.model.barSizes();
  }

  private checkConfig(offset: number, width: AccessWidth): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.configSize) {
      throw new TargetError('targetInput', `${this.id}: ${width}-byte config access at 0x${offset.toString(16)} is outside its ${this.configSize}-byte space`, { offset });
    }
  }
}

/** A scalar field of a layout, placed: its absolute byte offset and the layout it belongs to. */
export interface PlacedField {
  /** Where the field's first byte is, relative to the start of the space it lives in (config, or a BAR). */
  readonly at: number;
  readonly field: FieldMeta;
  /** `layout.field` path in spec names, e.g. `virtio_pci_notify_cap.cap.bar`. */
  readonly path: string;
}

/** Every scalar field (at most 64 bits wide) of `layout` placed at `at`, nested layouts flattened. */
export function scalarFields(layout: LayoutMeta, at: number, prefix = layout.name): PlacedField[] {
  return layout.fields.flatMap((field): PlacedField[] => {
    if (field.type === 'layout') {
      const nested = field.ref === undefined ? undefined : layoutCodecs[field.ref]?.meta;
      return nested === undefined ? [] : scalarFields(nested, at + field.offset, `${prefix}.${field.specName}`);
    }
    if (field.type === 'bytes' || field.type === 'array' || field.bits === 0 || field.bits > 64) return [];
    return [{ at: at + field.offset, field, path: `${prefix}.${field.specName}` }];
  });
}

/** Bytes the field spans, from its first byte. */
export function fieldBytes(field: FieldMeta): number {
  return Math.ceil((field.bit + field.bits) / 8);
}

/** The field's bits in the little-endian value of bytes `[start, start + width)` read from the same space. */
export function fieldMask(placed: PlacedField, start: number, width: number): number {
  let mask = 0;
  const { at, field } = placed;
  for (let bit = 0; bit < field.bits; bit++) {
    const absolute = at * 8 + field.bit + bit;
    const relative = absolute - start * 8;
    if (relative >= 0 && relative < width * 8) mask += 2 ** relative;
  }
  return mask;
}

/** The field's value within `value`, a little-endian read of `[start, start + width)` that covers all of it. */
export function fieldValue(placed: PlacedField, start: number, value: number): number {
  const shift = placed.at * 8 + placed.field.bit - start * 8;
  return Math.floor(value / 2 ** shift) % 2 ** placed.field.bits;
}

/** `value` (a read of `[start, start + width)`) with the field's bits replaced by those of `field`. */
export function withField(placed: PlacedField, start: number, width: number, value: number, field: number): number {
  const mask = fieldMask(placed, start, width);
  if (mask === 0) return value;
  const shift = placed.at * 8 + placed.field.bit - start * 8;
  const placedBits = shift >= 0 ? field * 2 ** shift : Math.floor(field / 2 ** -shift);
  return ((value & ~mask) | (placedBits & mask)) >>> 0;
}

/** True when the access `[start, start + width)` touches the field. */
export function touches(placed: PlacedField, start: number, width: number): boolean {
  return fieldMask(placed, start, width) !== 0;
}

/** True when the access `[start, start + width)` covers the whole field. */
export function covers(placed: PlacedField, start: number, width: number): boolean {
  return placed.at >= start && placed.at + fieldBytes(placed.field) <= start + width;
}
