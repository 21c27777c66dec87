/**
 * The boundaries come from the generated metadata and the arbitraries actually reach them: before
 * they were biased, a domid cell hit DOMID_FIRST_RESERVED in about 0.1 % of cases and no buffer
 * frame came near the top of a v1 grant entry's frame field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOMID_FIRST_RESERVED, DOMID_IDLE, DOMID_SELF } from '../../generated/ts/xen/xen-domid.ts';
import { XEN_PAGE_SIZE } from '../../generated/ts/xen/xen-grant-dma-addr.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { dtCellArbitrary, mapBufferArbitrary } from './arbitraries.ts';
import { cellEdges, domidBits, domidEdges, frameEdges, namedDomids, v1FrameBits } from './boundaries.ts';
import { hostileDomidArbitrary } from './hostile-backend.ts';

const share = <T>(arbitrary: fc.Arbitrary<T>, hit: (value: T) => boolean): number => {
  const sample = fc.sample(arbitrary, { seed: propertySeed, numRuns: 2000 });
  return sample.filter(hit).length / sample.length;
};

describe('boundaries from the generated metadata', () => {
  it('knows the widths and the named domids of the layouts', () => {
    expect(domidBits).toBe(16);
    expect(v1FrameBits).toBe(32);
    expect(namedDomids).toEqual(expect.arrayContaining([DOMID_FIRST_RESERVED, DOMID_SELF, DOMID_IDLE, 0]));
    expect(domidEdges).toEqual(expect.arrayContaining([DOMID_FIRST_RESERVED - 1, DOMID_FIRST_RESERVED, 0xffff]));
    expect(cellEdges).toEqual(expect.arrayContaining([0x1_0000, 0x1_0000 + DOMID_FIRST_RESERVED, 0xffff_ffff]));
    expect(frameEdges).toEqual(expect.arrayContaining([0xffff_ffff, 0xffff_fffe]));
  });

  it('device-tree cells and hostile domids land on DOMID_FIRST_RESERVED and its neighbours often', () => {
    expect(share(dtCellArbitrary, (cell) => cell === DOMID_FIRST_RESERVED || cell === DOMID_FIRST_RESERVED - 1)).toBeGreaterThan(0.01);
    expect(share(dtCellArbitrary, (cell) => cell === 0x1_0000 + DOMID_FIRST_RESERVED)).toBeGreaterThan(0.005);
    expect(share(hostileDomidArbitrary, (domid) => domid === DOMID_FIRST_RESERVED)).toBeGreaterThan(0.01);
  });

  it('buffers run past the 32-bit frame field of a v1 grant entry, and start on and fill pages exactly', () => {
    expect(share(mapBufferArbitrary, (buffer) => buffer.frame + Math.ceil((buffer.offset + buffer.length) / XEN_PAGE_SIZE) - 1 >= 2 ** v1FrameBits)).toBeGreaterThan(0.02);
    expect(share(mapBufferArbitrary, (buffer) => buffer.offset === XEN_PAGE_SIZE - 1)).toBeGreaterThan(0.02);
    expect(share(mapBufferArbitrary, (buffer) => (buffer.offset + buffer.length) % XEN_PAGE_SIZE === 0)).toBeGreaterThan(0.05);
    expect(share(mapBufferArbitrary, (buffer) => buffer.coherent && buffer.offset !== 0)).toBe(0);
  });
});
