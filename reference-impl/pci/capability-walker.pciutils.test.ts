import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkCapabilities } from './capability-walker.ts';

// Differential check against lspci's own decoding of the pciutils test data: the walker must find
// the capabilities lspci lists, read the virtio ones as lspci does, and must not take other
// vendors' vendor-specific capabilities for virtio. Expected values are read from the fixture text.
const dir = '/work/shared/fixtures/pciutils-tests';
const files = readdirSync(dir).filter((name) => name.endsWith('.txt') && !name.includes('lspci-vvv') && !name.includes('decoded'));

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
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const { config, legacy, extended } = parseFixture(readFileSync(join(dir, file), 'utf8'));
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
