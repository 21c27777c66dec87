import { describe, expect, it } from 'vitest';
import { consoleMarkers, keptTracePath, reachedDriverOk } from './guest-boot.ts';

describe('guest console', () => {
  it('finds the markers in console text whatever the line endings and timestamps', () => {
    const text = 'SeaBIOS\r\n[    3.85] xvc-guest: load\r\n[    4.44] xvc-guest: ready device=virtio0 status=0x0000000f\rnoise\n';
    expect(consoleMarkers(text)).toEqual([
      { name: 'load', detail: '' },
      { name: 'ready', detail: 'device=virtio0 status=0x0000000f' },
    ]);
    expect(reachedDriverOk({ consoleMarkers: consoleMarkers(text) })).toBe(true);
    expect(reachedDriverOk({ consoleMarkers: consoleMarkers('[ 1.0] xvc-guest: stuck device=virtio0 status=0x00000003') })).toBe(false);
  });
});

describe('keptTracePath', () => {
  it('names the kept trace after the spec, inside XVC_GUEST_TRACE_DIR only', () => {
    expect(keptTracePath('guest:virtio-net-pci,kernel=/a b/c@pcie', { XVC_GUEST_TRACE_DIR: '/traces' })).toBe('/traces/guest_virtio-net-pci_kernel=_a_b_c_pcie.trace.log');
    expect(keptTracePath('guest:x', {})).toBeUndefined();
  });
});
