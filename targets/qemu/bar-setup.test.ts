import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryDescription, DeviceModel, modernNetDescription, transitionalNetDescription } from '../../reference-impl/virtio/index.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { FakePciMachine } from '../../test-support/qtest/fake-pci-machine.ts';
import { sizeAndProgramBars, type AddressWindow, type ProgrammedBar } from './bar-setup.ts';
import { QemuConfigAccess } from './config-access.ts';

const at = { bus: 0, device: 3, function: 0 };
const MEMORY = { next: 0xc000_0000, limit: 0xfebf_ffff };
const IO = { next: 0xc000, limit: 0xffff };

async function program(model: DeviceModel, memory: AddressWindow = { ...MEMORY }, io: AddressWindow = { ...IO }) {
  const fake = new FakePciMachine([{ bdf: at, model }]);
  const bars = await sizeAndProgramBars(new QemuConfigAccess(fake.client, at, undefined), memory, io);
  return { bars, memory, io };
}

/** What the BAR register of `index` says about itself (PCI Local Bus 3.0 §6.2.5.1): I/O bit 0, memory type bits 2:1. */
function registerKind(model: DeviceModel, index: number): 'io' | 'mem32' | 'mem64' {
  const low = model.configRead(0x10 + 4 * index, 4);
  if (low & 0x1) return 'io';
  return ((low >>> 1) & 0x3) === 0x2 ? 'mem64' : 'mem32';
}

/** The address the BAR register of `index` holds now. */
function registerAddress(model: DeviceModel, index: number): number {
  const low = model.configRead(0x10 + 4 * index, 4);
  return low & 0x1 ? (low & 0xffff_fffc) >>> 0 : (low & 0xffff_fff0) >>> 0;
}

/**
 * Checks the BARs against the device and against the placement rule, computed here: in index order,
 * each BAR goes at the first address of its window aligned to its size, after the BARs placed
 * before it; one that would pass the window's limit stays at 0.
 */
function checkProgrammed(model: DeviceModel, bars: ProgrammedBar[]): void {
  const sizes = model.barSizes();
  expect(bars.map((bar) => bar.index)).toEqual([0, 1, 2, 3, 4, 5]);
  const cursor = { io: IO.next, memory: MEMORY.next };
  for (const bar of bars) {
    if (bar.kind === 'mem64-upper') {
      expect(bars[bar.index - 1]!.kind).toBe('mem64');
      expect(model.configRead(0x10 + 4 * bar.index, 4)).toBe(0);
      continue;
    }
    expect(bar.size, `BAR ${bar.index} size`).toBe(sizes[bar.index]);
    if (bar.kind === 'none') {
      expect(sizes[bar.index]).toBe(0);
      continue;
    }
    expect(bar.kind, `BAR ${bar.index} kind`).toBe(registerKind(model, bar.index));
    const space = bar.kind === 'io' ? 'io' : 'memory';
    const limit = space === 'io' ? IO.limit : MEMORY.limit;
    const aligned = Math.ceil(cursor[space] / bar.size) * bar.size;
    if (aligned + bar.size - 1 > limit) {
      expect(bar.address, `BAR ${bar.index} does not fit`).toBe(0);
      continue;
    }
    expect(bar.address, `BAR ${bar.index} address`).toBe(aligned);
    expect(registerAddress(model, bar.index)).toBe(bar.address);
    cursor[space] = aligned + bar.size;
  }
}

describe('sizeAndProgramBars', () => {
  it('finds the QEMU-shaped BARs of a modern virtio-net: MSI-X in BAR1, a 64-bit prefetchable BAR4', async () => {
    const model = new DeviceModel(modernNetDescription());
    const { bars, memory } = await program(model);
    checkProgrammed(model, bars);
    expect(bars.map((bar) => [bar.index, bar.kind, bar.prefetchable])).toEqual([
      [0, 'none', false],
      [1, 'mem32', false],
      [2, 'none', false],
      [3, 'none', false],
      [4, 'mem64', true],
      [5, 'mem64-upper', true],
    ]);
    // The description asks for a 16 KiB virtio BAR.
    expect(bars[4]!.size).toBe(0x4000);
    expect(memory.next).toBeGreaterThan(MEMORY.next);
  });

  it('places the legacy I/O BAR0 of a transitional device in the I/O window', async () => {
    const model = new DeviceModel(transitionalNetDescription());
    const { bars, io } = await program(model);
    checkProgrammed(model, bars);
    expect(bars[0]).toMatchObject({ kind: 'io', prefetchable: false });
    expect(io.next).toBe(bars[0]!.address + bars[0]!.size);
  });

  it('sizes and places the BARs of any valid device: sizes as the device defines them, aligned, disjoint, written', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDescription(), async (description) => {
        const model = new DeviceModel(description);
        // x86 has 64 KiB of I/O space and QEMU decodes 16 bits of an I/O BAR: a larger one cannot be placed.
        fc.pre(model.barSizes().every((size, index) => size <= 0x1_0000 || registerKind(model, index) !== 'io'));
        checkProgrammed(model, (await program(model)).bars);
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });

  it('leaves a BAR that does not fit unassigned (address 0) instead of overlapping, and the window as it was', async () => {
    const model = new DeviceModel(modernNetDescription());
    const tiny = { next: 0xc000_0000, limit: 0xc000_0fff };
    const { bars } = await program(model, tiny);
    const bar4 = bars[4]!;
    expect(bar4.size).toBe(0x4000);
    expect(bar4.address).toBe(0);
    // BAR1 (the MSI-X table, smaller) still fits.
    expect(bars[1]!.address).toBe(0xc000_0000);
    expect(tiny.next).toBe(0xc000_0000 + bars[1]!.size);
  });
});
