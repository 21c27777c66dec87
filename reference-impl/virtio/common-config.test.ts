import { describe, expect, it } from 'vitest';
import { commonConfigFields, commonConfigLength, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
import { DeviceModel } from './device-model.ts';
import { modernNetDescription } from './example-devices.ts';

describe('common configuration structure by spec version', () => {
  it('is 56 bytes in 1.0/1.1, 60 in 1.2 and 64 in 1.3 (digest §1.5)', () => {
    expect(commonConfigLength('1.0')).toBe(56);
    expect(commonConfigLength('1.1')).toBe(56);
    expect(commonConfigLength('1.2')).toBe(60);
    expect(commonConfigLength('1.3')).toBe(64);
    expect(LATEST_COMMON_CONFIG_VERSION).toBe('1.3');
    expect(commonConfigFields('1.0').map((field) => field.specName)).not.toContain('queue_reset');
  });

  it('advertises the version length in its capability, and reads 0 past it', () => {
    const model = new DeviceModel(modernNetDescription({ commonConfigVersion: '1.0' }));
    const cap = model.capabilities.find((c) => c.name === 'common')!;
    expect(cap.range!.length).toBe(56n);
    expect(model.barRead(4, 58, 2)).toBe(0);
    model.barWrite(4, 58, 2, 1);
    expect(model.barRead(4, 58, 2)).toBe(0);
  });

  it('allows independent access to both halves of a 64-bit field (PCI-DEV-08)', () => {
    const model = new DeviceModel(modernNetDescription());
    model.barWrite(4, 22, 2, 1);
    model.barWrite(4, 36, 4, 0x12345678);
    model.barWrite(4, 32, 4, 0x9abcdef0);
    expect(model.state.queues[1]!.desc).toBe(0x12345678_9abcdef0n);
    expect(model.barRead(4, 36, 4)).toBe(0x12345678);
  });
});

describe('common configuration reads served field by field', () => {
  it('read exactly what the encoded structure holds, at every offset and width, whatever the driver wrote', async () => {
    const { default: fc } = await import('fast-check');
    const { encodeVirtioPciCommonCfg } = await import('../../generated/ts/virtio/virtio-pci-common-cfg.ts');
    const { readLe } = await import('../pci/le-bytes.ts');
    const { propertyParameters } = await import('../../test-support/fast-check-seed.ts');
    const write = fc.record({ offset: fc.integer({ min: 0, max: 63 }), width: fc.constantFrom(1, 2, 4), value: fc.nat({ max: 0xffffffff }) });
    fc.assert(
      fc.property(fc.constantFrom('1.0', '1.2', '1.3'), fc.array(write, { maxLength: 12 }), (version, writes) => {
        const model = new DeviceModel(modernNetDescription({ commonConfigVersion: version }));
        const common = model.common;
        for (const { offset, width, value } of writes) common.write(offset, width as 1 | 2 | 4, width === 4 ? value : value % 2 ** (8 * width));
        // The reference: the generated encoder over the whole view, bytes of absent fields zero.
        const image = encodeVirtioPciCommonCfg(common.view());
        const present = new Uint8Array(image.length);
        for (const field of commonConfigFields(version)) present.fill(1, field.offset, field.offset + field.bits / 8);
        for (let i = 0; i < image.length; i++) if (present[i] === 0) image[i] = 0;
        for (let offset = 0; offset < common.length; offset++) {
          for (const width of [1, 2, 4] as const) {
            if (offset + width > common.length) continue;
            if (common.read(offset, width) !== readLe(image, offset, width)) return false;
          }
        }
        return true;
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });
});

describe('common configuration writes served field by field', () => {
  it('give every touched field the value that merging the bytes into the encoded structure and decoding it gives', async () => {
    const { default: fc } = await import('fast-check');
    const { decodeVirtioPciCommonCfg, encodeVirtioPciCommonCfg, virtioPciCommonCfgLayout } = await import('../../generated/ts/virtio/virtio-pci-common-cfg.ts');
    const { virtioPciCommonCfgArbitrary } = await import('../../generated/arbitraries/virtio/virtio-pci-common-cfg.ts');
    const { mergeWrittenBytes } = await import('./common-config.ts');
    const { propertyParameters } = await import('../../test-support/fast-check-seed.ts');
    const fields = virtioPciCommonCfgLayout.fields;
    const size = fields.reduce((end, field) => Math.max(end, field.offset + field.bits / 8), 0);
    const write = fc.constantFrom(1, 2, 4).chain((width) => fc.record({ offset: fc.integer({ min: 0, max: size - width }), width: fc.constant(width as 1 | 2 | 4), value: fc.nat({ max: 2 ** (8 * width) - 1 }) }));
    fc.assert(
      fc.property(virtioPciCommonCfgArbitrary(), write, (current, { offset, width, value }) => {
        const touched = fields.filter((field) => field.offset < offset + width && field.offset + field.bits / 8 > offset);
        const image = encodeVirtioPciCommonCfg(current);
        for (let i = 0; i < width; i++) image[offset + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
        const decoded = decodeVirtioPciCommonCfg(image).value as unknown as Record<string, unknown>;
        const merged = mergeWrittenBytes(current, touched, offset, width, value) as unknown as Record<string, unknown>;
        expect(touched.length).toBeGreaterThan(0);
        for (const field of fields) expect(merged[field.name], field.name).toEqual(touched.includes(field) ? decoded[field.name] : (current as unknown as Record<string, unknown>)[field.name]);
      }),
      propertyParameters({ numRuns: 500 }),
    );
  });
});
