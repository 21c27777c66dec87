import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { deviceOnlyReads, mapForDecision, mappedOffset, MAX_GRANTS_PER_REQUEST } from './grant-mapper.ts';

const scenario: Scenario = {
  guest: { domid: 5, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices: [],
  channels: {},
};
const grants = { deviceId: 'net', outcome: 'grants' as const, backendDomid: 3 };
const buffer = (change: Partial<{ frame: number; offset: number; length: number; direction: 'to-device' | 'from-device' | 'bidirectional'; coherent: boolean }>) => ({
  frame: 0x100,
  offset: 0x10,
  length: 0x1000,
  direction: 'to-device' as const,
  coherent: false,
  ...change,
});

describe('grant mapping', () => {
  it('gives a streaming buffer one grant per frame it touches, read-only when the device only reads, and the offset in the address', () => {
    const result = mapForDecision(scenario, grants, { deviceId: 'net', buffers: [buffer({})] });
    // The first references after the 8 reserved entries; bit 63 marks a grant address, the reference sits above the page offset.
    expect(result).toEqual({
      deviceId: 'net',
      outcome: 'mapped',
      mappings: [
        {
          dmaAddress: '0x8000000000008010',
          grants: [
            { ref: 8, domid: 3, frame: 0x100, readonly: true },
            { ref: 9, domid: 3, frame: 0x101, readonly: true },
          ],
        },
      ],
    });
  });

  it('gives a coherent allocation writable grants for whole pages and no offset', () => {
    const result = mapForDecision(scenario, grants, { deviceId: 'net', buffers: [buffer({ coherent: true, offset: 0x10, length: 0x1000 })] });
    expect(result.mappings).toEqual([{ dmaAddress: '0x8000000000008000', grants: [{ ref: 8, domid: 3, frame: 0x100, readonly: false }] }]);
    expect([deviceOnlyReads(buffer({ coherent: true })), deviceOnlyReads(buffer({ direction: 'from-device' })), deviceOnlyReads(buffer({}))]).toEqual([false, false, true]);
    expect([mappedOffset(buffer({ coherent: true })), mappedOffset(buffer({}))]).toEqual([0, 0x10]);
  });

  it('gives a device without grants guest-physical addresses', () => {
    expect(mapForDecision(scenario, { deviceId: 'net', outcome: 'no-grants' }, { deviceId: 'net', buffers: [buffer({})] })).toEqual({
      deviceId: 'net',
      outcome: 'direct',
      mappings: [{ dmaAddress: '0x100010', grants: [] }],
    });
  });

  it('refuses a missing, refused or crashed device, grants without a domid, and a request that needs too many grants', () => {
    const request = { deviceId: 'net', buffers: [buffer({})] };
    expect(mapForDecision(scenario, undefined, request)).toEqual({ deviceId: 'net', outcome: 'refused', mappings: [], reason: "no device 'net' in the scenario" });
    expect(mapForDecision(scenario, { deviceId: 'net', outcome: 'crash' }, request).reason).toBe('device is crash');
    expect(mapForDecision(scenario, { deviceId: 'net', outcome: 'refused' }, request).outcome).toBe('refused');
    expect(mapForDecision(scenario, { deviceId: 'net', outcome: 'grants' }, request).reason).toBe('grants decided without a backend domid');
    const huge = mapForDecision(scenario, grants, { deviceId: 'net', buffers: [buffer({ offset: 0, length: (MAX_GRANTS_PER_REQUEST + 1) * 0x1000 })] });
    expect(huge.outcome).toBe('refused');
  });
});
