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
