import { describe, expect, it } from 'vitest';
import { planBars, powerOfTwoAtLeast, structureExtents } from './bar-plan.ts';
import { modernNetDescription, transitionalNetDescription } from './example-devices.ts';

// Lengths from the digest (§1.5 common config 56/60/64 bytes by version, §1.6 notify bound, §1.12
// legacy header of 24 bytes with MSI-X, §1.13 16-byte MSI-X table entries), written out.
describe('structureExtents', () => {
  it('sizes common config by spec version and the notify area for the last queue and the notification width', () => {
    const net = modernNetDescription({ commonConfigVersion: '1.0' });
    expect(structureExtents(net)).toEqual([
      { name: 'common', start: 0, length: 56 },
      { name: 'notify', start: 0x3000, length: 4 * 2 + 2 },
      { name: 'isr', start: 0x1000, length: 1 },
      { name: 'device', start: 0x2000, length: 8 },
    ]);
    const withData = modernNetDescription({ commonConfigVersion: '1.2', features: (1n << 32n) | (1n << 38n), deviceConfig: new Uint8Array(0) });
    expect(structureExtents(withData)).toEqual([
      { name: 'common', start: 0, length: 60 },
      { name: 'notify', start: 0x3000, length: 4 * 2 + 4 },
      { name: 'isr', start: 0x1000, length: 1 },
    ]);
  });
});

describe('planBars', () => {
  it('places the legacy I/O BAR0, the virtio BAR and the MSI-X BAR of a transitional device', () => {
    const plan = planBars(transitionalNetDescription());
    expect(plan.issues).toEqual([]);
    expect(plan.bars.get(0)).toEqual({ space: 'io', size: 32 });
    expect(plan.bars.get(4)).toEqual({ space: 'memory', size: 0x4000, is64: true, prefetchable: true });
    expect(plan.bars.get(1)).toEqual({ space: 'memory', size: 128 });
    expect(plan.msix).toEqual({ bar: 1, tableOffset: 0, tableBytes: 4 * 16, pbaOffset: 4 * 16 });
  });

  it('puts the MSI-X table in the first free slot, skipping the upper half of a 64-bit BAR', () => {
    const plan = planBars(modernNetDescription({ placement: { bar: 0, space: 'memory', is64: true, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000 }, msixBar: undefined }));
    expect(plan.issues).toEqual([]);
    expect(plan.msix?.bar).toBe(2);
  });

  it('merges shared memory regions of one BAR into one 64-bit prefetchable BAR that holds them all', () => {
    const plan = planBars(
      modernNetDescription({
        sharedMemory: [
          { id: 0, bar: 2, offset: 0n, length: 0x1000n },
          { id: 1, bar: 2, offset: 0x1000n, length: 0x3000n },
        ],
      }),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.bars.get(2)).toEqual({ space: 'memory', is64: true, prefetchable: true, size: 0x4000 });
  });

  it('reports, never throws, BARs that cannot be implemented', () => {
    const codes = (d: Parameters<typeof planBars>[0]) => planBars(d).issues.map((issue) => issue.code);
    expect(codes(modernNetDescription({ msixBar: 4 }))).toEqual(['msix-bar']);
    expect(codes(modernNetDescription({ sharedMemory: [{ id: 0, bar: 1, offset: 0n, length: 16n }] }))).toEqual(['msix-bar']);
    expect(codes(modernNetDescription({ sharedMemory: [{ id: 0, bar: 2, offset: 0n, length: 1n << 60n }] }))).toEqual(['shared-memory']);
    expect(codes(modernNetDescription({ placement: { bar: 4, space: 'memory', size: 0x1000, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000 } }))).toEqual(['placement-bar']);
  });
});

describe('powerOfTwoAtLeast', () => {
  it('rounds up to a power of two no smaller than the minimum', () => {
    expect(powerOfTwoAtLeast(1, 16)).toBe(16);
    expect(powerOfTwoAtLeast(17, 16)).toBe(32);
    expect(powerOfTwoAtLeast(0x4000, 16)).toBe(0x4000);
  });
});
