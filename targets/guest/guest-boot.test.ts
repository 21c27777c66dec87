import { describe, expect, it } from 'vitest';
import { consoleMarkers, reachedDriverOk } from './guest-boot.ts';

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
