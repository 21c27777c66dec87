import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { encodeVirtioPciCapability, type VirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';
import { isVirtioFunction, preferredVirtioCapabilities, walkCapabilities } from './capability-walker.ts';
import type { CapabilityWalk } from './walk-types.ts';

// Test data is written as literal bytes, as a capture would hold them.
const STATUS_CAP_LIST = 0x10;

/** A 256-byte non-virtio header with the capability list flag and the first pointer. */
function blankConfig(first: number, size = 256, vendor = 0x8086, device = 0x1234): Uint8Array {
  const config = new Uint8Array(size);
  config[0] = vendor & 0xff;
  config[1] = vendor >> 8;
  config[2] = device & 0xff;
  config[3] = device >> 8;
  config[6] = STATUS_CAP_LIST;
  config[0x34] = first;
  return config;
}

/** Distinct dword-aligned capability positions in 0x40..0xFC, in list order. */
const positions = (max: number) =>
  fc.uniqueArray(fc.integer({ min: 0x10, max: 0x3f }), { minLength: 0, maxLength: max }).map((dwords) => dwords.map((d) => d * 4));

/** Capability IDs that are neither vendor-specific nor the 0xFF terminator. */
const plainId = fc.integer({ min: 0, max: 0xfe }).filter((id) => id !== 0x09);

interface Chain {
  config: Uint8Array;
  offsets: number[];
  ids: number[];
}

/** A well-formed chain with random low pointer bits and random filler elsewhere. */
const chain = positions(20).chain((offsets) =>
  fc
    .record({
      ids: fc.array(plainId, { minLength: offsets.length, maxLength: offsets.length }),
      lowBits: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: offsets.length + 1, maxLength: offsets.length + 1 }),
      filler: fc.uint8Array({ minLength: 192, maxLength: 192 }),
      endLowBits: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ ids, lowBits, filler, endLowBits }): Chain & { unaligned: number } => {
      const config = blankConfig(0);
      config.set(filler, 0x40);
      let unaligned = 0;
      const pointerTo = (index: number): number => {
        const bits = lowBits[index]!;
        if (index >= offsets.length) {
          if (endLowBits !== 0) unaligned++;
          return endLowBits;
        }
        if (bits !== 0) unaligned++;
        return offsets[index]! | bits;
      };
      config[0x34] = pointerTo(0);
      offsets.forEach((offset, index) => {
        config[offset] = ids[index]!;
        config[offset + 1] = pointerTo(index + 1);
      });
      return { config, offsets, ids, unaligned };
    }),
);

function codes(walk: CapabilityWalk): string[] {
  return walk.issues.map((issue) => issue.code);
}

describe('walkCapabilities on generated chains', () => {
  it('finds exactly the capabilities placed, in order, following masked pointers', () => {
    fc.assert(
      fc.property(chain, ({ config, offsets, ids, unaligned }) => {
        const walk = walkCapabilities(config);
        expect(walk.capabilities.map((c) => c.offset)).toEqual(offsets);
        expect(walk.capabilities.map((c) => c.id)).toEqual(ids);
        expect(codes(walk).filter((c) => c !== 'pointer-unaligned')).toEqual([]);
        expect(codes(walk).length).toBe(unaligned);
        expect(walk.extended).toEqual([]);
      }),
      propertyParameters(),
    );
  });

  it('stops at a loop back to any visited capability and reports it at the pointer', () => {
    fc.assert(
      fc.property(positions(20).filter((p) => p.length > 0), fc.nat(), (offsets, pick) => {
        const config = blankConfig(offsets[0]!);
        offsets.forEach((offset, index) => {
          config[offset] = 0x01;
          config[offset + 1] = offsets[index + 1] ?? offsets[pick % offsets.length]!;
        });
        const walk = walkCapabilities(config);
        expect(walk.capabilities.map((c) => c.offset)).toEqual(offsets);
        expect(codes(walk)).toEqual(['loop']);
        expect(walk.issues[0]!.offset).toBe(offsets.at(-1)! + 1);
      }),
      propertyParameters(),
    );
  });

  it('stops at a pointer into the header', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x0f }), fc.integer({ min: 0, max: 3 }), (dword, low) => {
        const config = blankConfig(dword * 4 + low);
        const walk = walkCapabilities(config);
        expect(walk.capabilities).toEqual([]);
        expect(codes(walk)).toContain('pointer-below-header');
      }),
      propertyParameters(),
    );
  });

  it('stops after the TTL of 48 capabilities', () => {
    const offsets = Array.from({ length: 48 }, (_, i) => 0x40 + 4 * i);
    const config = blankConfig(0x40);
    offsets.forEach((offset, index) => {
      config[offset] = 0x01;
      config[offset + 1] = offsets[index + 1] ?? 0x80;
    });
    const walk = walkCapabilities(config);
    expect(walk.capabilities).toHaveLength(48);
    expect(codes(walk)).toEqual(['ttl-exceeded']);
  });

  it('ends at capability ID 0xFF without listing it', () => {
    const config = blankConfig(0x40);
    config[0x40] = 0x05;
    config[0x41] = 0x50;
    config[0x50] = 0xff;
    config[0x51] = 0x60;
    const walk = walkCapabilities(config);
    expect(walk.capabilities.map((c) => c.offset)).toEqual([0x40]);
    expect(codes(walk)).toEqual(['id-ff']);
  });

  it('does not walk when the status register lacks CAP_LIST', () => {
    const config = blankConfig(0x40);
    config[6] = 0;
    config[0x40] = 0x05;
    const walk = walkCapabilities(config);
    expect(walk.capabilities).toEqual([]);
    expect(codes(walk)).toEqual(['no-capability-list']);
  });

  it('returns the prefix of capabilities inside a truncated buffer', () => {
    fc.assert(
      fc.property(chain, fc.integer({ min: 0, max: 256 }), ({ config, offsets }, length) => {
        const walk = walkCapabilities(config.subarray(0, length));
        const inside = length > 0x34 ? offsets.slice(0, Math.max(0, offsets.findIndex((o) => o + 2 > length) === -1 ? offsets.length : offsets.findIndex((o) => o + 2 > length))) : [];
        expect(walk.capabilities.map((c) => c.offset)).toEqual(inside);
        if (inside.length < offsets.length || length <= 0x34) expect(codes(walk)).toContain('truncated');
      }),
      propertyParameters(),
    );
  });

  it('never throws and always ends on arbitrary bytes of any length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), fc.boolean(), (bytes, forceList) => {
        const config = bytes.slice();
        if (forceList && config.length > 6) config[6]! |= STATUS_CAP_LIST;
        const walk = walkCapabilities(config);
        expect(walk.capabilities.length).toBeLessThanOrEqual(48);
        const offsets = walk.capabilities.map((c) => c.offset);
        expect(new Set(offsets).size).toBe(offsets.length);
        for (const offset of offsets) {
          expect(offset % 4).toBe(0);
          expect(offset).toBeGreaterThanOrEqual(0x40);
        }
        const extOffsets = walk.extended.map((c) => c.offset);
        expect(new Set(extOffsets).size).toBe(extOffsets.length);
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });
});

describe('walkCapabilities: extended list', () => {
  function extHeader(config: Uint8Array, at: number, id: number, version: number, next: number): void {
    const value = (id | (version << 16) | (next << 20)) >>> 0;
    config[at] = value & 0xff;
    config[at + 1] = (value >>> 8) & 0xff;
    config[at + 2] = (value >>> 16) & 0xff;
    config[at + 3] = value >>> 24;
  }

  it('finds a random extended chain and reports a loop back', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0x40, max: 0x3ff }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.nat(),
        (dwords, loop, pick) => {
          const offsets = [0x100, ...dwords.filter((d) => d !== 0x40).map((d) => d * 4)];
          const config = blankConfig(0, 4096);
          config[6] = 0;
          offsets.forEach((offset, index) => {
            const next = offsets[index + 1] ?? (loop ? offsets[pick % offsets.length]! : 0);
            extHeader(config, offset, 0x0b + index, 1, next);
          });
          const walk = walkCapabilities(config);
          expect(walk.extended.map((c) => c.offset)).toEqual(offsets);
          expect(walk.extended.map((c) => c.id)).toEqual(offsets.map((_, i) => 0x0b + i));
          expect(codes(walk).filter((c) => c !== 'no-capability-list')).toEqual(loop ? ['ext-loop'] : []);
        },
      ),
      propertyParameters(),
    );
  });

  it('stops at a next pointer below 0x100', () => {
    const config = blankConfig(0, 4096);
    extHeader(config, 0x100, 1, 1, 0x40);
    const walk = walkCapabilities(config);
    expect(walk.extended.map((c) => c.offset)).toEqual([0x100]);
    expect(codes(walk)).toContain('ext-pointer-below-0x100');
  });

  it('reports no extended capabilities for a zero header', () => {
    const walk = walkCapabilities(blankConfig(0, 4096));
    expect(walk.extended).toEqual([]);
    expect(walk.issues).toEqual([]);
  });
});

describe('walkCapabilities: virtio structure capabilities', () => {
  const virtioCap = (cfgType: number, bar: number, next: number, capLen: number): VirtioPciCapability => {
    const cap = { capVndr: 0x09, capNext: next, capLen, cfgType, bar, id: 0, padding: new Uint8Array(2), offset: 0x1000 * cfgType, length: 0x100 };
    if (cfgType === 2) return { variant: 'virtio_pci_notify_cap', value: { cap, notifyOffMultiplier: 4 } };
    return { variant: 'virtio_pci_cap', value: cap };
  };

  it('marks reserved cfg_type and BAR > 5 and prefers the first usable capability per type', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cfgType: fc.integer({ min: 0, max: 12 }).filter((t) => t !== 5 && t !== 8 && t !== 9), bar: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 9 }),
        (caps) => {
          const config = blankConfig(0x40, 256, 0x1af4, 0x1041);
          caps.forEach((cap, index) => {
            const at = 0x40 + index * 20;
            const next = index + 1 < caps.length ? at + 20 : 0;
            encodeVirtioPciCapability(virtioCap(cap.cfgType, cap.bar, next, cap.cfgType === 2 ? 20 : 16), config, at);
          });
          const walk = walkCapabilities(config);
          const defined = new Set([1, 2, 3, 4, 5, 8, 9]);
          expect(walk.capabilities).toHaveLength(caps.length);
          walk.capabilities.forEach((walked, index) => {
            const placed = caps[index]!;
            expect(walked.virtio?.cfgType).toBe(placed.cfgType);
            expect(walked.virtio?.bar).toBe(placed.bar);
            expect(walked.virtio?.reserved).toBe(!defined.has(placed.cfgType) || placed.bar > 5);
          });
          const preferred = preferredVirtioCapabilities(walk);
          for (const [cfgType, chosen] of preferred) {
            const first = caps.findIndex((c) => c.cfgType === cfgType && defined.has(c.cfgType) && c.bar <= 5);
            expect(chosen.offset).toBe(0x40 + first * 20);
          }
          const usableTypes = new Set(caps.filter((c) => defined.has(c.cfgType) && c.bar <= 5).map((c) => c.cfgType));
          expect(new Set(preferred.keys())).toEqual(usableTypes);
          expect(codes(walk).filter((c) => c === 'reserved-cfg-type').length).toBe(caps.filter((c) => !defined.has(c.cfgType)).length);
          expect(codes(walk).filter((c) => c === 'reserved-bar').length).toBe(caps.filter((c) => c.bar > 5).length);
        },
      ),
      propertyParameters(),
    );
  });

  it('accepts a larger cap_len and flags one too small', () => {
    const config = blankConfig(0x40, 256, 0x1af4, 0x1041);
    encodeVirtioPciCapability(virtioCap(1, 4, 0x60, 32), config, 0x40);
    encodeVirtioPciCapability(virtioCap(2, 4, 0, 16), config, 0x60);
    const walk = walkCapabilities(config);
    expect(walk.capabilities.map((c) => c.virtio?.complete)).toEqual([true, false]);
    expect(codes(walk)).toEqual(['cap-len-too-small']);
    expect([...preferredVirtioCapabilities(walk).keys()]).toEqual([1]);
  });

  it('flags a capability running past the legacy space', () => {
    const config = blankConfig(0xf8, 256, 0x1af4, 0x1041);
    encodeVirtioPciCapability(virtioCap(1, 4, 0, 16), config.subarray(0, 0xf8 + 8), 0xf8);
    const walk = walkCapabilities(config);
    expect(codes(walk)).toContain('cap-past-end');
  });

  it('does not read vendor capabilities of a non-virtio function as virtio', () => {
    const config = blankConfig(0x40);
    encodeVirtioPciCapability(virtioCap(1, 4, 0, 16), config, 0x40);
    const walk = walkCapabilities(config);
    expect(isVirtioFunction(config)).toBe(false);
    expect(walk.capabilities[0]!.length).toBe(16);
    expect(walk.capabilities[0]!.virtio).toBeUndefined();
  });
});

describe('walkCapabilities on QEMU 7.2 captures', () => {
  const dir = fileURLToPath(new URL('../../fixtures/dumps/qemu-7.2/', import.meta.url));
  const cases = readdirSync(dir).filter((name) => name.endsWith('.json'));

  interface FixtureCap {
    off: number;
    id: number;
    next: number;
    cap_len?: number;
    cfg_type?: number;
    bar?: number;
    cap_id?: number;
    offset?: number;
    length?: number;
    notify_off_multiplier?: number;
  }

  it('has the six captures of fixtures/dumps/README.md to check', () => {
    expect(cases).toHaveLength(6);
  });

  for (const name of cases) {
    const fixture = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { case: string; caps: FixtureCap[]; ext_caps: { off: number; id: number }[]; virtio_cfg_types_present: number[] };
    const binaries = readdirSync(dir).filter((file) => file.startsWith(`${fixture.case}.cfg`) && file.endsWith('.bin'));
    for (const binary of binaries) {
      it(`${binary} gives the capabilities ${name} lists`, () => {
        const config = new Uint8Array(readFileSync(join(dir, binary)));
        const walk = walkCapabilities(config);
        expect(walk.issues).toEqual([]);
        expect(walk.capabilities.map((c) => ({ off: c.offset, id: c.id, next: c.next }))).toEqual(fixture.caps.map((c) => ({ off: c.off, id: c.id, next: c.next })));
        fixture.caps.forEach((expected, index) => {
          const walked = walk.capabilities[index]!;
          if (expected.cfg_type === undefined) return;
          expect(walked.length).toBe(expected.cap_len);
          expect(walked.virtio).toMatchObject({ cfgType: expected.cfg_type, bar: expected.bar, id: expected.cap_id, offset: expected.offset, length: expected.length });
          if (expected.notify_off_multiplier !== undefined) expect(walked.virtio?.notifyOffMultiplier).toBe(expected.notify_off_multiplier);
        });
        expect(walk.extended.map((c) => ({ off: c.offset, id: c.id }))).toEqual(fixture.ext_caps.map((c) => ({ off: c.off, id: c.id })));
        expect([...preferredVirtioCapabilities(walk).keys()].sort()).toEqual([...fixture.virtio_cfg_types_present].sort());
      });
    }
  }
});

// Differential check against lspci's own decoding of the pciutils test data: the walker must find
// the capabilities lspci lists, read the virtio ones as lspci does, and must not take other
// vendors' vendor-specific capabilities for virtio. Expected values are read from the fixture text.
const pciutilsDir = fileURLToPath(new URL('../../fixtures/dumps/pciutils-tests/', import.meta.url));
const pciutilsFiles = readdirSync(pciutilsDir).filter((name) => name.endsWith('.txt') && !name.includes('lspci-vvv') && !name.includes('decoded'));

/** lspci's name for each cfg_type (test data: pciutils' labels). */
const LSPCI_NAMES: Record<string, number> = { CommonCfg: 1, Notify: 2, ISR: 3, DeviceCfg: 4, PCICfg: 5, SharedMemory: 8 };

function parseFixture(text: string) {
  const lines = text.split('\n');
  const bytes: number[] = [];
  for (const line of lines) {
    const match = /^([0-9a-f]{2,3}): ((?:[0-9a-f]{2} ?){16})$/.exec(line.trim());
    if (match) match[2]!.trim().split(' ').forEach((hex, i) => (bytes[parseInt(match[1]!, 16) + i] = parseInt(hex, 16)));
  }
  const legacy: { offset: number; virtio?: { cfgType: number; bar: number; offset: bigint; length: bigint } }[] = [];
  const extended: number[] = [];
  lines.forEach((line, index) => {
    const cap = /Capabilities: \[([0-9a-f]+)( v\d+)?\] (.*)$/.exec(line);
    if (!cap) return;
    const offset = parseInt(cap[1]!, 16);
    if (cap[2] !== undefined) {
      extended.push(offset);
      return;
    }
    const virtio = /VirtIO: (\w+)/.exec(cap[3]!);
    const details = /BAR=(\d+) offset=([0-9a-f]+) size=([0-9a-f]+)/.exec(lines[index + 1] ?? '');
    legacy.push({
      offset,
      ...(virtio && details && LSPCI_NAMES[virtio[1]!] !== undefined
        ? { virtio: { cfgType: LSPCI_NAMES[virtio[1]!]!, bar: Number(details[1]), offset: BigInt(`0x${details[2]}`), length: BigInt(`0x${details[3]}`) } }
        : {}),
    });
  });
  return { config: Uint8Array.from(bytes, (b) => b ?? 0), legacy, extended };
}

describe('walkCapabilities against lspci decodings of the pciutils test data', () => {
  it('has fixtures', () => {
    expect(pciutilsFiles.length).toBeGreaterThan(0);
  });

  for (const file of pciutilsFiles) {
    it(file, () => {
      const { config, legacy, extended } = parseFixture(readFileSync(join(pciutilsDir, file), 'utf8'));
      const walk = walkCapabilities(config);
      expect(walk.capabilities.map((cap) => cap.offset)).toEqual(legacy.map((cap) => cap.offset));
      walk.capabilities.forEach((cap, index) => {
        const expected = legacy[index]!.virtio;
        if (expected === undefined) {
          // lspci prints no BAR line for PCI_CFG and vendor data; any other function must not be read as virtio.
          const virtioVendor = config[0] === 0xf4 && config[1] === 0x1a;
          expect(virtioVendor ? cap.virtio === undefined || cap.virtio.cfgType === 5 || cap.virtio.cfgType === 9 : cap.virtio === undefined).toBe(true);
          return;
        }
        expect({ cfgType: cap.virtio?.cfgType, bar: cap.virtio?.bar, offset: BigInt(cap.virtio?.offset ?? -1), length: BigInt(cap.virtio?.length ?? -1) }).toEqual(expected);
      });
      if (file.includes('vndrcap')) expect(walk.capabilities.some((cap) => cap.id === 0x09 && cap.virtio === undefined)).toBe(true);
      if (config.length > 256) expect(walk.extended.map((cap) => cap.offset)).toEqual(extended);
    });
  }
});
