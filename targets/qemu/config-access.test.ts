import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceModel, modernNetDescription } from '../../reference-impl/virtio/index.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { FakePciMachine } from '../../test-support/qtest/fake-pci-machine.ts';
import { TargetError } from '../device-target.ts';
import { cf8Address, ecamOffset, parseQtestBytes, QemuConfigAccess } from './config-access.ts';

const ECAM = 0xb000_0000;
const at = { bus: 0, device: 3, function: 0 };
const bdf = fc.record({ bus: fc.integer({ min: 0, max: 255 }), device: fc.integer({ min: 0, max: 31 }), function: fc.integer({ min: 0, max: 7 }) });

/** A machine with a modern virtio-net model at 00:03.0 (PCI Express when `pcie`), and access to it. */
function machine(options: { pcie?: boolean; ecam?: boolean } = {}) {
  const model = new DeviceModel(modernNetDescription({ pcie: options.pcie === true }));
  const fake = new FakePciMachine([{ bdf: at, model }], options.ecam === false ? undefined : ECAM);
  return { model, fake, access: new QemuConfigAccess(fake.client, at, options.ecam === false ? undefined : ECAM) };
}

/** Little-endian value of `width` bytes of `bytes` at `offset`. */
function le(bytes: Uint8Array, offset: number, width: number): number {
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[offset + i]!;
  return value;
}

describe('config cycle addresses', () => {
  it('0xCF8: enable bit 31, bus 23:16, device 15:11, function 10:8, dword register 7:2 (PCI Local Bus 3.0 §3.2.2.3.2)', () => {
    expect(cf8Address({ bus: 1, device: 2, function: 3 }, 0x45)).toBe(0x8001_1344);
    fc.assert(
      fc.property(bdf, fc.integer({ min: 0, max: 255 }), (where, reg) => {
        expect(cf8Address(where, reg)).toBe((0x8000_0000 | (where.bus << 16) | (where.device << 11) | (where.function << 8) | (reg & 0xfc)) >>> 0);
      }),
      propertyParameters(),
    );
  });

  it('ECAM: bus 27:20, device 19:15, function 14:12, register 11:0 (PCI Express Base §7.2.2)', () => {
    expect(ecamOffset({ bus: 1, device: 2, function: 3 }, 0x104)).toBe(0x0011_3104);
    fc.assert(
      fc.property(bdf, fc.integer({ min: 0, max: 0xfff }), (where, reg) => {
        expect(ecamOffset(where, reg)).toBe(where.bus * 2 ** 20 + where.device * 2 ** 15 + where.function * 2 ** 12 + reg);
      }),
      propertyParameters(),
    );
  });
});

describe('QemuConfigAccess', () => {
  it('reads the first 256 bytes through 0xCF8/0xCFC, as the device holds them', async () => {
    const { model, fake, access } = machine();
    const bytes = model.snapshot();
    expect(await access.read(0, 2)).toBe(0x1af4);
    expect(fake.log.slice(0, 2)).toEqual(['outl 0xcf8 0x80001800', 'inw 0xcfc']);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<1 | 2 | 4>(1, 2, 4), fc.integer({ min: 0, max: 0x3f }), async (width, slot) => {
        // The standard header: registers without read side effects.
        const offset = (slot * width) % 0x40;
        expect(await access.read(offset, width)).toBe(le(bytes, offset, width));
      }),
      propertyParameters(),
    );
  });

  it('selects the byte lane of an unaligned access in the data window (0xCFC + offset % 4)', async () => {
    const { model, fake, access } = machine();
    fake.log.length = 0;
    expect(await access.read(0x0a, 2)).toBe(le(model.snapshot(), 0x0a, 2));
    expect(fake.log).toEqual(['outl 0xcf8 0x80001808', 'inw 0xcfe']);
  });

  it('splits an access that crosses a dword into byte accesses, most significant first', async () => {
    const { model, fake, access } = machine();
    fake.log.length = 0;
    expect(await access.read(0x03, 2)).toBe(le(model.snapshot(), 0x03, 2));
    expect(fake.log.filter((line) => line.startsWith('in'))).toEqual(['inb 0xcfc', 'inb 0xcff']);
    fake.log.length = 0;
    await access.write(0x3b, 2, 0x0a0b);
    // Interrupt Line (0x3c) is writable, Interrupt Pin (0x3d) is not; 0x3b is read-only too.
    expect(await access.read(0x3c, 1)).toBe(0x0a);
    expect(fake.log.filter((line) => line.startsWith('out') && !line.startsWith('outl 0xcf8'))).toEqual(['outb 0xcff 0xb', 'outb 0xcfc 0xa']);
  });

  it('writes masked to the access width, and the device sees the write', async () => {
    const { model, access } = machine();
    await access.write(0x3c, 1, 0x1_23);
    expect(model.configRead(0x3c, 1)).toBe(0x23);
    await access.write(0x04, 2, 0xffff_0006);
    expect(model.configRead(0x04, 2) & 0x6).toBe(0x6);
  });

  it('reaches the extended space through ECAM, and only when there is an ECAM window', async () => {
    const express = machine({ pcie: true });
    expect(express.access.reachableSize).toBe(4096);
    expect(await express.access.read(0x100, 4)).toBe(le(express.model.snapshot(), 0x100, 4));
    expect(express.fake.log.at(-1)).toBe(`readl 0x${(ECAM + 3 * 2 ** 15 + 0x100).toString(16)}`);
    const conventional = machine({ pcie: true, ecam: false });
    expect(conventional.access.reachableSize).toBe(256);
    await expect(conventional.access.read(0x100, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await expect(conventional.access.snapshot(4096)).rejects.toMatchObject({ diagnostic: 'targetInput' });
  });

  it('snapshots every reachable byte: 64 pipelined dword cycles, then one ECAM read of the rest', async () => {
    const { model, fake, access } = machine({ pcie: true });
    fake.log.length = 0;
    const snapshot = await access.snapshot();
    expect(snapshot.length).toBe(4096);
    expect(Array.from(snapshot.subarray(0, 0x40))).toEqual(Array.from(model.snapshot().subarray(0, 0x40)));
    expect(Array.from(snapshot.subarray(0x100))).toEqual(Array.from(model.snapshot().subarray(0x100)));
    expect(fake.log.filter((line) => line.startsWith('inl'))).toHaveLength(64);
    expect(fake.log.at(-1)).toBe(`read 0x${(ECAM + 3 * 2 ** 15 + 0x100).toString(16)} 0xf00`);
  });

  it('refuses accesses outside the reachable space or of a width that is no access width', async () => {
    // Without ECAM the reachable space is the conventional 256 bytes.
    const { access } = machine({ ecam: false });
    for (const [offset, width] of [
      [-1, 1],
      [0.5, 1],
      [255, 2],
      [256, 1],
      [0, 3],
    ] as const) {
      await expect(access.read(offset, width as 1), `${offset}/${width}`).rejects.toBeInstanceOf(TargetError);
      await expect(access.write(offset, width as 1, 0), `${offset}/${width}`).rejects.toMatchObject({ diagnostic: 'targetInput' });
    }
  });
});

describe('parseQtestBytes', () => {
  it('reads 0x and two hex digits per byte, in address order', () => {
    expect(Array.from(parseQtestBytes('0x00ff10Ab', 4))).toEqual([0x00, 0xff, 0x10, 0xab]);
  });

  it('refuses a reply of another length, without 0x, or with a non-hex digit, as a protocol error', () => {
    for (const reply of ['0x00ff', '00ff10ab', '0x00ff10ag', '0x00ff10ab00', 'FAIL']) {
      expect(() => parseQtestBytes(reply, 4), reply).toThrow(expect.objectContaining({ diagnostic: 'targetProtocol' }));
    }
  });
});
