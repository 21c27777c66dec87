import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldMeta } from '../../core/codec-runtime.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import { DeviceModel, modernNetDescription } from '../../reference-impl/virtio/index.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { covers, FaultyFunction, fieldBytes, fieldMask, fieldValue, scalarFields, touches, withField, type PlacedField } from './faulty-function.ts';

const model = () => new DeviceModel(modernNetDescription());

describe('FaultyFunction', () => {
  it('without a fault is the model: the same reads, writes and snapshot', async () => {
    const device = model();
    const fn = new FaultyFunction('net', device);
    expect(await fn.snapshot()).toEqual(device.snapshot());
    expect(await fn.readConfig(0, 4)).toBe(device.configRead(0, 4));
    await fn.writeConfig(0x3c, 1, 0x5a);
    expect(device.configRead(0x3c, 1)).toBe(0x5a);
    expect(await fn.barSizes()).toEqual(device.barSizes());
    expect(fn).toMatchObject({ live: true, truncated: false, configSize: 256 });
  });

  it('answers reads with what the fault says, as unsigned 32-bit values, and lies in the snapshot the same way', async () => {
    const fn = new FaultyFunction('net', model(), {
      configRead: (offset, _width, value) => (offset === 0 ? -1 : value),
      barRead: () => 0x1234,
      snapshot: (bytes) => bytes.fill(0xee, 0, 2),
    });
    expect(await fn.readConfig(0, 4)).toBe(0xffff_ffff);
    expect(await fn.readBar(4, 0, 2)).toBe(0x1234);
    expect(Array.from((await fn.snapshot()).subarray(0, 3))).toEqual([0xee, 0xee, 0x41]);
  });

  it('drops the writes the fault refuses, and lets the others through', async () => {
    const device = model();
    const fn = new FaultyFunction('net', device, { configWrite: (offset) => offset !== 0x3c, barWrite: () => false });
    await fn.writeConfig(0x3c, 1, 0x5a);
    expect(device.configRead(0x3c, 1)).toBe(0);
    await fn.writeConfig(0x04, 2, 0x2);
    expect(device.configRead(0x04, 2) & 0x2).toBe(0x2);
    await fn.writeBar(4, 0x16, 2, 2);
    expect(device.barRead(4, 0x16, 2)).toBe(0);
  });

  it('refuses config accesses outside its space', async () => {
    const fn = new FaultyFunction('net', model());
    await expect(fn.readConfig(255, 2)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await expect(fn.writeConfig(-1, 1, 0)).rejects.toMatchObject({ diagnostic: 'targetInput' });
  });
});

describe('placed fields', () => {
  it('flattens nested layouts into scalar fields at absolute offsets (virtio_pci_notify_cap: cap.bar at 4, multiplier at 16, VS13 §4.1.4.4)', () => {
    const fields = scalarFields(layoutCodecs.virtio_pci_notify_cap!.meta, 0x50);
    const at = Object.fromEntries(fields.map((placed) => [placed.path, placed.at]));
    expect(at['virtio_pci_notify_cap.cap.bar']).toBe(0x54);
    expect(at['virtio_pci_notify_cap.cap.cfg_type']).toBe(0x53);
    expect(at['virtio_pci_notify_cap.notify_off_multiplier']).toBe(0x60);
    // The padding bytes are a byte string: no scalar field.
    expect(Object.keys(at).some((path) => path.endsWith('.padding'))).toBe(false);
  });

  const placedArbitrary = fc
    .record({ at: fc.integer({ min: 0, max: 8 }), bit: fc.integer({ min: 0, max: 7 }), bits: fc.integer({ min: 1, max: 24 }) })
    .map(({ at, bit, bits }): PlacedField => ({ at, path: 'x.f', field: { specName: 'f', name: 'f', offset: 0, bit, bits, type: 'uint', access: 'RW', doc: '' } as FieldMeta }));

  it('reads and replaces exactly the bits of a field in any access that covers it (computed bit by bit)', () => {
    fc.assert(
      fc.property(placedArbitrary, fc.nat(), fc.nat(), (placed, noise, replacement) => {
        const bytes = fieldBytes(placed.field);
        expect(bytes).toBe(Math.ceil((placed.field.bit + placed.field.bits) / 8));
        fc.pre(bytes <= 4);
        const start = placed.at;
        const width = 4;
        const read = noise >>> 0;
        const shift = BigInt(placed.field.bit);
        const fieldBits = (1n << BigInt(placed.field.bits)) - 1n;
        expect(covers(placed, start, width)).toBe(true);
        expect(BigInt(fieldMask(placed, start, width))).toBe(fieldBits << shift);
        expect(BigInt(fieldValue(placed, start, read))).toBe((BigInt(read) >> shift) & fieldBits);
        const written = withField(placed, start, width, read, replacement % 2 ** placed.field.bits);
        expect(BigInt(fieldValue(placed, start, written))).toBe(BigInt(replacement % 2 ** placed.field.bits));
        // Bits outside the field keep their value.
        expect(BigInt(written) & ~(fieldBits << shift) & 0xffff_ffffn).toBe(BigInt(read) & ~(fieldBits << shift) & 0xffff_ffffn);
      }),
      propertyParameters(),
    );
  });

  it('knows which accesses touch a field and which cover all of it', () => {
    const placed: PlacedField = { at: 0x14, path: 'x.f', field: { specName: 'f', name: 'f', offset: 0, bit: 0, bits: 16, type: 'uint', access: 'RW', doc: '' } as FieldMeta };
    expect(touches(placed, 0x15, 1)).toBe(true);
    expect(covers(placed, 0x15, 1)).toBe(false);
    expect(touches(placed, 0x16, 2)).toBe(false);
    expect(covers(placed, 0x14, 4)).toBe(true);
    expect(fieldMask(placed, 0x15, 1)).toBe(0xff);
  });
});
