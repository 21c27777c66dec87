/**
 * The configuration space of one PCI function (256 or 4096 bytes) as a device presents it: driver
 * writes obey the access semantics of the registered register regions (header, capabilities), BARs
 * answer sizing probes, and device-side hooks can give reads and writes of chosen bytes an effect.
 */
import { XvcError } from '../../core/xvc-error.ts';
import type { FieldAccess, LayoutMeta } from '../../core/codec-runtime.ts';
import { AccessMap, type LayoutResolver } from './access-map.ts';
import { barFlagBits, barWritableMasks, checkBarDefinitions, type BarDefinition, type BarDefinitionIssue } from './bar-register.ts';
import { isAccessWidth, readLe, widthMask, writeLe, type AccessWidth } from './le-bytes.ts';
import { barRegisterOffset, PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE, PCI_TYPE0_BAR_COUNT } from './type0-header.ts';

/** A register block placed in config space, described by a generated layout. */
export interface ConfigRegion {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly layout: LayoutMeta;
}

/** A device-side effect bound to a byte range: refresh before a read, act after a write. */
export interface ConfigHook {
  readonly offset: number;
  readonly length: number;
  /** Called before a driver read that touches the range; may `poke` fresh bytes in. */
  beforeRead?(): void;
  /** Called after a driver write that touched the range (after access semantics were applied). */
  afterWrite?(): void;
}

/** Programming errors when building a config space (never raised by driver accesses). */
export class ConfigSpaceError extends XvcError<ConfigSpaceProblem, { offset?: number; length?: number; bars?: BarDefinitionIssue[] }> {
  constructor(problem: ConfigSpaceProblem, message: string, details: { offset?: number; length?: number; bars?: BarDefinitionIssue[] } = {}) {
    super(problem, message, details);
  }
}

/** Catalogue entries (core/diagnostics.ts) of {@link ConfigSpaceError}. */
export type ConfigSpaceProblem = 'configSpaceBadSize' | 'configSpaceRegionOutOfRange' | 'configSpaceRegionOverlap' | 'configSpaceBadBars';

/** Options for `defineRegion`. */
export interface RegionOptions {
  /** Resolves nested layouts (a capability whose first field is another layout). */
  resolve?: LayoutResolver;
  /** Context-specific access for some fields, keyed by dotted spec-name path. */
  overrides?: Readonly<Record<string, FieldAccess>>;
  /** Register length when the layout is variable-size or the region has extra bytes. */
  length?: number;
}

/**
 * One function's configuration space. Reads and writes must be naturally aligned 1/2/4-byte
 * accesses inside the space; any other access reads all-ones (what a bus returns when nothing
 * claims the cycle) and writes nothing.
 */
export class ConfigSpace {
  readonly size: number;
  private readonly bytes: Uint8Array;
  private readonly access: AccessMap;
  private readonly regionList: ConfigRegion[] = [];
  private readonly hooks: ConfigHook[] = [];
  private readonly bars = new Map<number, BarDefinition>();
  private barsDefined = false;

  constructor(size: number = PCI_CFG_SPACE_SIZE) {
    if (size !== PCI_CFG_SPACE_SIZE && size !== PCI_CFG_SPACE_EXP_SIZE) {
      throw new ConfigSpaceError('configSpaceBadSize', `config space size must be ${PCI_CFG_SPACE_SIZE} or ${PCI_CFG_SPACE_EXP_SIZE}, not ${size}`);
    }
    this.size = size;
    this.bytes = new Uint8Array(size);
    this.access = new AccessMap(size);
  }

  /**
   * Places a register block: its fields' access semantics govern later driver writes. Regions must
   * not overlap. Initial contents are written with `load` (device side).
   */
  defineRegion(name: string, offset: number, layout: LayoutMeta, options: RegionOptions = {}): ConfigRegion {
    const length = options.length ?? layout.size;
    if (!Number.isInteger(offset) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ConfigSpaceError('configSpaceRegionOutOfRange', `region ${name} at ${offset} (+${length}) is outside the ${this.size}-byte space`, { offset, length });
    }
    for (const other of this.regionList) {
      if (offset < other.offset + other.length && other.offset < offset + length) {
        throw new ConfigSpaceError('configSpaceRegionOverlap', `region ${name} overlaps ${other.name}`, { offset, length });
      }
    }
    this.access.paintLayout(offset, layout, { resolve: options.resolve, overrides: options.overrides });
    this.clearReservedZero(offset, length);
    // BAR sizing masks win over whatever access the header layout gives the BAR registers.
    if (this.barsDefined) this.applyBarMasks();
    const region: ConfigRegion = { name, offset, length, layout };
    this.regionList.push(region);
    this.regionList.sort((a, b) => a.offset - b.offset);
    return region;
  }

  /** The registered regions, by offset. */
  regions(): readonly ConfigRegion[] {
    return this.regionList;
  }

  /**
   * Implements the type-0 BARs: each defined BAR reads its kind bits and keeps only the address
   * bits above its size, so an all-ones write reads back the size mask; undefined slots read 0.
   */
  defineBars(bars: ReadonlyMap<number, BarDefinition>): void {
    const issues = checkBarDefinitions(bars);
    if (issues.length > 0) throw new ConfigSpaceError('configSpaceBadBars', issues.map((i) => i.message).join('; '), { bars: issues });
    this.bars.clear();
    for (const [index, bar] of bars) this.bars.set(index, bar);
    this.barsDefined = true;
    for (let slot = 0; slot < PCI_TYPE0_BAR_COUNT; slot++) writeLe(this.bytes, barRegisterOffset(slot), 4, 0);
    for (const [index, bar] of bars) writeLe(this.bytes, barRegisterOffset(index), 4, barFlagBits(bar));
    this.applyBarMasks();
  }

  private applyBarMasks(): void {
    for (let slot = 0; slot < PCI_TYPE0_BAR_COUNT; slot++) this.access.setBits(barRegisterOffset(slot), 0, 32, 'preserve');
    for (const [index, bar] of this.bars) {
      const masks = barWritableMasks(bar);
      this.paintMask(barRegisterOffset(index), masks.low);
      if (masks.high !== undefined) this.paintMask(barRegisterOffset(index + 1), masks.high);
    }
  }

  /** The BARs defined with `defineBars`. */
  barDefinitions(): ReadonlyMap<number, BarDefinition> {
    return this.bars;
  }

  private paintMask(at: number, mask: number): void {
    for (let bit = 0; bit < 32; bit++) {
      if ((mask >>> bit) & 1) this.access.setBits(at, bit, 1, 'store');
    }
  }

  /** Registers a device-side effect on a byte range. */
  addHook(hook: ConfigHook): void {
    this.hooks.push(hook);
  }

  /** True for an access the space serves: a 1/2/4-byte access, naturally aligned, inside the space. */
  accepts(offset: number, width: number): width is AccessWidth {
    return isAccessWidth(width) && Number.isInteger(offset) && offset >= 0 && offset % width === 0 && offset + width <= this.size;
  }

  /** A driver read. Runs `beforeRead` hooks of the bytes it touches. */
  read(offset: number, width: AccessWidth): number {
    if (!this.accepts(offset, width)) return isAccessWidth(width) ? widthMask(width) : 0xffff_ffff;
    for (const hook of this.hooks) {
      if (overlaps(hook, offset, width)) hook.beforeRead?.();
    }
    return readLe(this.bytes, offset, width);
  }

  /** A driver write: each bit follows its access semantics; then `afterWrite` hooks run. */
  write(offset: number, width: AccessWidth, value: number): void {
    if (!this.accepts(offset, width)) return;
    for (let i = 0; i < width; i++) {
      const index = offset + i;
      this.bytes[index] = this.access.applyWrite(index, this.bytes[index]!, Math.floor(value / 2 ** (8 * i)) & 0xff);
    }
    for (const hook of this.hooks) {
      if (overlaps(hook, offset, width)) hook.afterWrite?.();
    }
  }

  /** Device-side store of bytes, bypassing access semantics except that RsvdZ bits stay 0. */
  load(offset: number, data: Uint8Array): void {
    const end = Math.min(this.size, offset + data.length);
    for (let index = Math.max(0, offset); index < end; index++) this.bytes[index] = data[index - offset]!;
    this.clearReservedZero(offset, data.length);
  }

  private clearReservedZero(offset: number, length: number): void {
    const end = Math.min(this.size, offset + length);
    for (let index = Math.max(0, offset); index < end; index++) this.bytes[index]! &= ~(this.access.readsZero[index] ?? 0);
  }

  /** Device-side store of one value, bypassing access semantics. */
  poke(offset: number, width: AccessWidth, value: number): void {
    writeLe(this.bytes, offset, width, value);
  }

  /** Device-side read without hooks. */
  peek(offset: number, width: AccessWidth): number {
    return readLe(this.bytes, offset, width);
  }

  /** A copy of the current bytes, as a dump would show them (no hooks run). */
  snapshot(): Uint8Array {
    return this.bytes.slice();
  }
}

function overlaps(hook: ConfigHook, offset: number, width: number): boolean {
  return offset < hook.offset + hook.length && hook.offset < offset + width;
}
