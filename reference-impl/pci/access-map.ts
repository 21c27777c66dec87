/**
 * Per-bit access semantics of a register block, derived from generated layout metadata. A config
 * space keeps one `AccessMap`; each register region (the header, each capability) paints its fields'
 * `access` into it, so a write is applied generically instead of by per-register code.
 */
import type { FieldAccess, FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';

/** How one bit behaves when the driver writes it. */
export type BitBehaviour = 'preserve' | 'store' | 'write-one-clears' | 'reads-zero';

/** Finds the metadata of a nested layout by its spec name (generated `registry.ts` provides it). */
export type LayoutResolver = (layoutName: string) => LayoutMeta | undefined;

/** Options for painting one layout into an access map. */
export interface PaintOptions {
  /** Resolves `layout` fields so nested layouts (e.g. `cap` inside a notify capability) are painted too. */
  resolve?: LayoutResolver;
  /**
   * Access to use instead of the metadata's, keyed by the dotted spec-name path of a field
   * (e.g. `cap.bar`). Used where a layout's driver-facing access differs by context.
   */
  overrides?: Readonly<Record<string, FieldAccess>>;
}

/** What a field's access means for the bits it covers. */
export function behaviourOf(access: FieldAccess): BitBehaviour {
  switch (access) {
    case 'RW':
    case 'WO':
    case 'driver-writable':
      return 'store';
    case 'W1C':
      return 'write-one-clears';
    case 'RsvdZ':
      return 'reads-zero';
    case 'RO':
    case 'RsvdP':
      return 'preserve';
  }
}

/**
 * Bit masks over a byte range: for each byte, which bits a write stores, which it clears when
 * written as 1, and which always read 0. Bits in none of the three keep their value (RO, RsvdP,
 * and any byte no region describes).
 */
export class AccessMap {
  readonly store: Uint8Array;
  readonly writeOneClears: Uint8Array;
  readonly readsZero: Uint8Array;

  constructor(readonly size: number) {
    this.store = new Uint8Array(size);
    this.writeOneClears = new Uint8Array(size);
    this.readsZero = new Uint8Array(size);
  }

  /** Sets the behaviour of `bitCount` bits starting at bit `firstBit` of byte `byteOffset`. */
  setBits(byteOffset: number, firstBit: number, bitCount: number, behaviour: BitBehaviour): void {
    const start = byteOffset * 8 + firstBit;
    // Bounded by the map size: bits beyond it are silently outside the space.
    const end = Math.min(start + bitCount, this.size * 8);
    for (let bit = Math.max(start, 0); bit < end; bit++) {
      const index = bit >> 3;
      const mask = 1 << (bit & 7);
      const clear = ~mask & 0xff;
      this.store[index] = (this.store[index]! & clear) | (behaviour === 'store' ? mask : 0);
      this.writeOneClears[index] = (this.writeOneClears[index]! & clear) | (behaviour === 'write-one-clears' ? mask : 0);
      this.readsZero[index] = (this.readsZero[index]! & clear) | (behaviour === 'reads-zero' ? mask : 0);
    }
  }

  /** Paints every field of `layout`, placed at `base`, with the behaviour its access implies. */
  paintLayout(base: number, layout: LayoutMeta, options: PaintOptions = {}): void {
    this.paintFields(base, layout.fields, '', options, 0);
  }

  private paintFields(base: number, fields: readonly FieldMeta[], prefix: string, options: PaintOptions, depth: number): void {
    for (const field of fields) {
      const path = prefix === '' ? field.specName : `${prefix}.${field.specName}`;
      const override = options.overrides?.[path];
      const nested = field.type === 'layout' && field.ref !== undefined ? options.resolve?.(field.ref) : undefined;
      // Nested layouts carry their own per-field access; depth bound guards a self-referencing registry.
      if (nested !== undefined && override === undefined && depth < 8) {
        this.paintFields(base + field.offset, nested.fields, path, options, depth + 1);
        continue;
      }
      const bits = field.bits > 0 ? field.bits : nested !== undefined ? nested.size * 8 : 0;
      if (bits === 0) continue;
      this.setBits(base + field.offset, field.bit, bits, behaviourOf(override ?? field.access));
    }
  }

  /** The stored byte after a driver writes `written` over `current` at `index`. */
  applyWrite(index: number, current: number, written: number): number {
    const store = this.store[index] ?? 0;
    const clear = (this.writeOneClears[index] ?? 0) & written;
    const zero = this.readsZero[index] ?? 0;
    return (((current & ~store) | (written & store)) & ~clear & ~zero) & 0xff;
  }
}
