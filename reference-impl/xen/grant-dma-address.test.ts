import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { decodeDmaAddress, grantToDmaAddress, pagesSpanned, physicalAddress } from './grant-dma-address.ts';

describe('grant DMA addresses', () => {
  it('puts bit 63, the grant reference above bit 12 and the page offset below', () => {
    expect(grantToDmaAddress(5, 0x10)).toBe(0x8000_0000_0000_5010n);
    expect(grantToDmaAddress(0x12345, 0)).toBe(0x8000_0000_1234_5000n);
  });

  it('round-trips every reference and offset', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 51n) - 1n }), fc.integer({ min: 0, max: 4095 }), (ref, offset) => {
        expect(decodeDmaAddress(grantToDmaAddress(ref, offset))).toEqual({ kind: 'grant', ref, offset });
      }),
      propertyParameters(),
    );
  });

  it('tells a physical address from a grant address', () => {
    expect(decodeDmaAddress(0x1234_5678n)).toEqual({ kind: 'physical', address: 0x1234_5678n });
    expect(physicalAddress(0x10, 0x20)).toBe(0x10020n);
  });

  it('counts the pages a buffer touches', () => {
    expect(pagesSpanned(0, 4096)).toBe(1);
    expect(pagesSpanned(1, 4096)).toBe(2);
    expect(pagesSpanned(4095, 2)).toBe(2);
  });
});
