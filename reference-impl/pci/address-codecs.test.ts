import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import {
  AddressCodecError,
  decodeCf8Address,
  decodeEcamOffset,
  decodeRequesterId,
  encodeCf8Address,
  encodeEcamOffset,
  encodeRequesterId,
} from './address-codecs.ts';

const bdf = fc.record({ bus: fc.integer({ min: 0, max: 255 }), device: fc.integer({ min: 0, max: 31 }), function: fc.integer({ min: 0, max: 7 }) });

// Oracles are the digest's formulas (§4.5–§4.7), written out independently of the layouts.
describe('requester ID', () => {
  it('is bus << 8 | device << 3 | function and round-trips', () => {
    fc.assert(
      fc.property(bdf, (b) => {
        const rid = encodeRequesterId(b);
        expect(rid).toBe((b.bus << 8) | (b.device << 3) | b.function);
        expect(decodeRequesterId(rid)).toEqual(b);
      }),
      propertyParameters(),
    );
  });

  it('rejects a device number that does not fit', () => {
    expect(() => encodeRequesterId({ bus: 0, device: 32, function: 0 })).toThrow(AddressCodecError);
  });
});

describe('ECAM offset', () => {
  it('is bus << 20 | device << 15 | function << 12 | register and round-trips', () => {
    fc.assert(
      fc.property(bdf, fc.integer({ min: 0, max: 0xfff }), (b, register) => {
        const offset = encodeEcamOffset({ ...b, register });
        expect(offset).toBe(b.bus * 2 ** 20 + b.device * 2 ** 15 + b.function * 2 ** 12 + register);
        expect(decodeEcamOffset(offset)).toEqual({ ...b, register, outsideWindow: false });
      }),
      propertyParameters(),
    );
  });

  it('flags offsets beyond a 256-bus window', () => {
    expect(decodeEcamOffset(0x1000_0000).outsideWindow).toBe(true);
  });
});

describe('0xCF8 address', () => {
  it('is 0x80000000 | bdf << 8 | (register & 0xfc) for registers below 256 and round-trips', () => {
    fc.assert(
      fc.property(bdf, fc.integer({ min: 0, max: 0xff }), (b, register) => {
        const value = encodeCf8Address({ ...b, register });
        expect(value).toBe((0x8000_0000 | (b.bus << 16) | (b.device << 11) | (b.function << 8) | (register & 0xfc)) >>> 0);
        expect(decodeCf8Address(value)).toEqual({ ...b, register: register & 0xfc, enabled: true, reservedBits: false });
      }),
      propertyParameters(),
    );
  });

  it('puts register bits 11:8 in bits 27:24 (AMD extension)', () => {
    const value = encodeCf8Address({ bus: 0, device: 0, function: 0, register: 0x104 });
    expect(value).toBe(0x8100_0004);
    expect(decodeCf8Address(value).register).toBe(0x104);
    expect(() => encodeCf8Address({ bus: 0, device: 0, function: 0, register: 0x1000 })).toThrow(AddressCodecError);
  });
});
