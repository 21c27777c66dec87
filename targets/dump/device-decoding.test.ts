import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfigSpace } from './device-decoding.ts';

/** A virtio-net header with a capability list starting at 0x40, cut after `length` bytes. */
function cutAfter(length: number): Uint8Array {
  const bytes = new Uint8Array(256);
  bytes.set([0xf4, 0x1a, 0x41, 0x10, 0x07, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x02], 0);
  bytes[0x34] = 0x40;
  // vendor capability: id 9, next 0, cap_len 16, cfg_type 1 (COMMON_CFG), bar 4, id 0, offset 0x1000, length 0x38
  bytes.set([0x09, 0x00, 0x10, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00], 0x40);
  return bytes.slice(0, length);
}

describe('decodeConfigSpace reports no value for a byte that is not there', () => {
  it('a capability cut before its cfg_type byte has no cfg_type, and no "reserved cfg_type 0" issue', () => {
    const device = decodeConfigSpace({ bdf: 'x', bytes: cutAfter(0x43), truncated: true });
    const [cap] = device.capabilities;
    expect(cap).toMatchObject({ offset: 0x40, id: 9, capLen: 16, complete: false });
    expect(cap!.cfgType).toBeUndefined();
    expect(cap!.bar).toBeUndefined();
    expect(cap!.reserved).toBeUndefined();
    expect(device.issues.some((issue) => issue.code === 'reserved-cfg-type')).toBe(false);
    expect(device.issues.some((issue) => issue.source === 'capabilities' && issue.code === 'truncated')).toBe(true);
  });

  it('a capability cut inside its offset field keeps cfg_type, bar and id, but not offset or length', () => {
    const [cap] = decodeConfigSpace({ bdf: 'x', bytes: cutAfter(0x4a), truncated: true }).capabilities;
    expect(cap).toMatchObject({ cfgType: 1, bar: 4, virtioId: 0 });
    expect(cap!.barOffset).toBeUndefined();
    expect(cap!.length).toBeUndefined();
  });

  it('the whole capability present: every field', () => {
    const [cap] = decodeConfigSpace({ bdf: 'x', bytes: cutAfter(256) }).capabilities;
    expect(cap).toMatchObject({ cfgType: 1, bar: 4, virtioId: 0, barOffset: 0x1000, length: 0x38, complete: true });
  });

  it('a dump shorter than the header names the header fields it lacks, and has no IDs past its end', () => {
    const device = decodeConfigSpace({ bdf: 'x', bytes: cutAfter(3), truncated: true });
    expect(device.vendorId).toBe(0x1af4);
    expect(device.deviceId).toBeUndefined();
    expect(device.absentHeaderFields).toContain('deviceId');
    expect(device.absentHeaderFields).toContain('bar0');
    expect(device.absentHeaderFields).not.toContain('vendorId');
    expect(decodeConfigSpace({ bdf: 'x', bytes: cutAfter(64) }).absentHeaderFields).toEqual([]);
  });
});

describe('decodeConfigSpace: MSI-X and functions without capabilities', () => {
  const fixtures = new URL('../../fixtures/dumps/qemu-7.2/', import.meta.url).pathname;

  it('decodes the MSI-X capability as lspci -vvv recorded it: vectors, enable, mask, table and PBA BAR and offset', () => {
    const listings = readdirSync(fixtures).filter((name) => name.endsWith('.lspci-vvv.txt'));
    let compared = 0;
    for (const listing of listings) {
      const text = readFileSync(join(fixtures, listing), 'latin1');
      const recorded = /Capabilities: \[([0-9a-f]+)\] MSI-X: Enable([+-]) Count=(\d+) Masked([+-])\s+Vector table: BAR=(\d) offset=([0-9a-f]+)\s+PBA: BAR=(\d) offset=([0-9a-f]+)/.exec(text);
      if (recorded === null) continue;
      compared++;
      const [, at, enable, count, masked, tableBar, tableOffset, pbaBar, pbaOffset] = recorded!;
      const hex = readFileSync(join(fixtures, listing.replace('.lspci-vvv.txt', '.lspci')), 'latin1');
      const bytes = Uint8Array.from(
        hex
          .split('\n')
          .filter((line) => /^[0-9a-f]{2,3}: /.test(line))
          .flatMap((line) => line.slice(line.indexOf(':') + 1).trim().split(/\s+/).map((byte) => Number.parseInt(byte, 16))),
      );
      const cap = decodeConfigSpace({ bdf: 'x', bytes }).capabilities.find((candidate) => candidate.offset === Number.parseInt(at!, 16));
      expect(cap?.msix, listing).toEqual({
        vectors: Number(count),
        enabled: enable === '+',
        functionMask: masked === '+',
        tableBar: Number(tableBar),
        tableOffset: Number.parseInt(tableOffset!, 16),
        pbaBar: Number(pbaBar),
        pbaOffset: Number.parseInt(pbaOffset!, 16),
      });
    }
    expect(compared).toBeGreaterThan(3);
  });

  it('reads table and PBA offsets with the BIR bits masked off, and leaves out an MSI-X capability cut short', () => {
    const bytes = new Uint8Array(256);
    bytes.set([0xf4, 0x1a, 0x41, 0x10], 0);
    bytes[0x06] = 0x10; // status: CAP_LIST
    bytes[0x34] = 0x40;
    // MSI-X at 0x40: next 0, control 0xC7FF (enabled, masked, 2048 vectors), table 0x2000 in BAR 5, PBA 0x3008 in BAR 2.
    bytes.set([0x11, 0x00, 0xff, 0xc7, 0x05, 0x20, 0x00, 0x00, 0x0a, 0x30, 0x00, 0x00], 0x40);
    expect(decodeConfigSpace({ bdf: 'x', bytes }).capabilities[0]!.msix).toEqual({ vectors: 2048, enabled: true, functionMask: true, tableBar: 5, tableOffset: 0x2000, pbaBar: 2, pbaOffset: 0x3008 });
    expect(decodeConfigSpace({ bdf: 'x', bytes: bytes.slice(0, 0x4b), truncated: true }).capabilities[0]?.msix).toBeUndefined();
  });

  it('gives a host bridge without a capability list no issue, but a status that contradicts the pointer one', () => {
    const bridge = new Uint8Array(256);
    bridge.set([0x86, 0x80, 0x57, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06], 0);
    expect(decodeConfigSpace({ bdf: '0000:00:00.0', bytes: bridge }).issues).toEqual([]);
    const contradicting = bridge.slice();
    contradicting[0x34] = 0x40;
    expect(decodeConfigSpace({ bdf: 'x', bytes: contradicting }).issues.map((issue) => issue.code)).toEqual(['no-capability-list']);
  });
});
