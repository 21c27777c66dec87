import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { pciType0HeaderLayout } from '../../generated/ts/pci/pci-type0-header.ts';
import { decodeBarProbe, type BarDefinition } from './bar-register.ts';
import { ConfigSpace, ConfigSpaceError } from './config-space.ts';

/** A test register block with one field of each access kind (test data, not a spec layout). */
const mixed: LayoutMeta = {
  name: 'test_mixed',
  title: 'test',
  size: 8,
  variable: false,
  spec: 'test',
  ref: 'test',
  proposal: false,
  fields: [
    { specName: 'ro', name: 'ro', offset: 0, bit: 0, bits: 8, type: 'uint', access: 'RO', doc: 'x' },
    { specName: 'rw', name: 'rw', offset: 1, bit: 0, bits: 8, type: 'uint', access: 'RW', doc: 'x' },
    { specName: 'w1c', name: 'w1c', offset: 2, bit: 0, bits: 8, type: 'uint', access: 'W1C', doc: 'x' },
    { specName: 'rsvdz', name: 'rsvdz', offset: 3, bit: 0, bits: 8, type: 'uint', access: 'RsvdZ', doc: 'x' },
    { specName: 'rsvdp', name: 'rsvdp', offset: 4, bit: 0, bits: 8, type: 'uint', access: 'RsvdP', doc: 'x' },
    { specName: 'low_rw', name: 'lowRw', offset: 5, bit: 0, bits: 4, type: 'uint', access: 'RW', doc: 'x' },
    { specName: 'high_ro', name: 'highRo', offset: 5, bit: 4, bits: 4, type: 'uint', access: 'RO', doc: 'x' },
    { specName: 'dw', name: 'dw', offset: 6, bit: 0, bits: 16, type: 'uint', access: 'driver-writable', doc: 'x' },
  ],
};

function spaceWithMixed(initial: number[]): ConfigSpace {
  const space = new ConfigSpace(256);
  space.defineRegion('mixed', 0x40, mixed);
  space.load(0x40, Uint8Array.from(initial));
  return space;
}

describe('ConfigSpace access semantics', () => {
  it('applies RO, RW, W1C, RsvdZ, RsvdP and bit-field access per bit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 }), (initial, written) => {
        const space = spaceWithMixed(initial);
        written.forEach((byte, i) => space.write(0x40 + i, 1, byte));
        expect(space.read(0x40, 1)).toBe(initial[0]);
        expect(space.read(0x41, 1)).toBe(written[1]);
        expect(space.read(0x42, 1)).toBe(initial[2]! & ~written[2]! & 0xff);
        expect(space.read(0x43, 1)).toBe(0);
        expect(space.read(0x44, 1)).toBe(initial[4]);
        expect(space.read(0x45, 1)).toBe((initial[5]! & 0xf0) | (written[5]! & 0x0f));
        expect(space.read(0x46, 2)).toBe(written[6]! | (written[7]! << 8));
      }),
      propertyParameters(),
    );
  });

  it('keeps RsvdZ bits 0 even when the device loads other bytes', () => {
    const space = spaceWithMixed([1, 2, 3, 0xff, 5, 6, 7, 8]);
    expect(space.read(0x43, 1)).toBe(0);
    expect(space.read(0x44, 1)).toBe(5);
  });

  it('applies a 4-byte write to each byte by its own access', () => {
    const space = spaceWithMixed([0x11, 0x22, 0xff, 0x00, 0x55, 0x66, 0, 0]);
    space.write(0x40, 4, 0xffffffff);
    expect(space.read(0x40, 4)).toBe(0x0000ff11);
  });

  it('ignores misaligned or out-of-range accesses and reads them as all ones', () => {
    const space = spaceWithMixed([1, 2, 3, 4, 5, 6, 7, 8]);
    space.write(0x41, 2, 0xffff);
    expect(space.read(0x41, 1)).toBe(2);
    expect(space.read(0x41, 2)).toBe(0xffff);
    expect(space.read(0x100, 4)).toBe(0xffffffff);
  });

  it('refuses overlapping regions and odd sizes', () => {
    const space = spaceWithMixed([]);
    expect(() => space.defineRegion('again', 0x44, mixed)).toThrow(ConfigSpaceError);
    expect(() => new ConfigSpace(512)).toThrow(ConfigSpaceError);
  });

  it('runs hooks before reads and after writes of their bytes only', () => {
    const space = spaceWithMixed([]);
    const seen: string[] = [];
    space.addHook({ offset: 0x46, length: 2, beforeRead: () => seen.push('read'), afterWrite: () => seen.push('write') });
    space.read(0x40, 4);
    space.write(0x44, 4, 0);
    space.read(0x46, 2);
    expect(seen).toEqual(['write', 'read']);
  });
});

describe('ConfigSpace BAR sizing', () => {
  const bar = fc.oneof(
    fc.record({ space: fc.constant<'io'>('io'), size: fc.integer({ min: 2, max: 16 }).map((e) => 2 ** e) }),
    fc.record({ space: fc.constant<'memory'>('memory'), size: fc.integer({ min: 4, max: 31 }).map((e) => 2 ** e), prefetchable: fc.boolean(), is64: fc.constant(false) }),
    fc.record({ space: fc.constant<'memory'>('memory'), size: fc.integer({ min: 4, max: 40 }).map((e) => 2 ** e), prefetchable: fc.boolean(), is64: fc.constant(true) }),
  );

  it('reads back the size mask with the type bits after an all-ones write', () => {
    fc.assert(
      fc.property(bar, fc.integer({ min: 0, max: 4 }), (definition: BarDefinition, index) => {
        const space = new ConfigSpace(256);
        space.defineRegion('header', 0, pciType0HeaderLayout);
        space.defineBars(new Map([[index, definition]]));
        const at = 0x10 + 4 * index;
        space.write(at, 4, 0xffffffff);
        space.write(at + 4, 4, 0xffffffff);
        const low = space.read(at, 4);
        const high = space.read(at + 4, 4);
        const probe = decodeBarProbe(low, high);
        expect(probe.size).toBe(BigInt(definition.size));
        expect(probe.space).toBe(definition.space);
        expect(probe.is64).toBe(definition.is64 === true);
        expect(probe.prefetchable).toBe(definition.prefetchable === true);
        const lowFlags = definition.space === 'io' ? 0x1 : (definition.is64 ? 0x4 : 0) | (definition.prefetchable ? 0x8 : 0);
        expect(low & (definition.space === 'io' ? 0x3 : 0xf)).toBe(lowFlags);
        // Slots the BAR does not use stay zero.
        for (let slot = 0; slot < 6; slot++) {
          if (slot === index || (definition.is64 && slot === index + 1)) continue;
          space.write(0x10 + 4 * slot, 4, 0xffffffff);
          expect(space.read(0x10 + 4 * slot, 4)).toBe(0);
        }
      }),
      propertyParameters(),
    );
  });

  it('matches the 64-bit prefetchable 16 KiB BAR QEMU shows', () => {
    const space = new ConfigSpace(256);
    space.defineRegion('header', 0, pciType0HeaderLayout);
    space.defineBars(new Map([[4, { space: 'memory', size: 0x4000, is64: true, prefetchable: true }]]));
    space.write(0x20, 4, 0xffffffff);
    space.write(0x24, 4, 0xffffffff);
    expect(space.read(0x20, 4)).toBe(0xffffc00c);
    expect(space.read(0x24, 4)).toBe(0xffffffff);
  });

  it('refuses a 64-bit BAR in the last slot', () => {
    const space = new ConfigSpace(256);
    expect(() => space.defineBars(new Map([[5, { space: 'memory', size: 0x1000, is64: true }]]))).toThrow(ConfigSpaceError);
  });
});
