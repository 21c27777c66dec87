import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { barWritableMasks, checkBarDefinitions, decodeBarProbe } from './bar-register.ts';

const dir = fileURLToPath(new URL('../../fixtures/dumps/qemu-7.2/', import.meta.url));

interface FixtureBar {
  index: number | 'rom';
  readback: string;
  readback_hi?: string;
  type: string;
  size?: string;
  prefetchable?: string;
}

describe('decodeBarProbe on the all-ones probes QEMU 7.2 answered', () => {
  const captures = readdirSync(dir).filter((file) => file.endsWith('.json'));
  it('has the six captures of fixtures/dumps/README.md to check', () => {
    expect(captures).toHaveLength(6);
  });

  for (const name of captures) {
    it(name, () => {
      const fixture = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { bars: FixtureBar[] };
      for (const bar of fixture.bars.filter((b) => b.index !== 'rom')) {
        const probe = decodeBarProbe(Number(bar.readback), bar.readback_hi === undefined ? undefined : Number(bar.readback_hi));
        const expectedSpace = bar.type === 'io' ? 'io' : bar.type === 'unimplemented' ? 'unimplemented' : 'memory';
        expect(probe.space).toBe(expectedSpace);
        expect(probe.is64).toBe(bar.type === 'mem64');
        expect(probe.size).toBe(bar.size === undefined ? 0n : BigInt(bar.size));
        if (bar.prefetchable !== undefined) expect(probe.prefetchable).toBe(bar.prefetchable === '0x1');
      }
    });
  }
});

describe('barWritableMasks and checkBarDefinitions', () => {
  it('keeps the address bits above the size writable', () => {
    expect(barWritableMasks({ space: 'memory', size: 0x4000, is64: true })).toEqual({ low: 0xffffc000, high: 0xffffffff });
    expect(barWritableMasks({ space: 'io', size: 0x20 })).toEqual({ low: 0xffffffe0 });
  });

  it('refuses sizes that are not powers of two, 64-bit at BAR5 and I/O 64-bit', () => {
    const codes = checkBarDefinitions(
      new Map([
        [0, { space: 'memory' as const, size: 0x3000 }],
        [5, { space: 'memory' as const, size: 0x1000, is64: true }],
        [2, { space: 'io' as const, size: 16, is64: true }],
      ]),
    ).map((issue) => issue.code);
    expect(codes.sort()).toEqual(['bar-64-at-last-slot', 'bar-io-64', 'bar-size']);
  });
});
