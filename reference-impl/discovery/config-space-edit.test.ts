import { describe, expect, it } from 'vitest';
import { walkCapabilities } from '../pci/capability-walker.ts';
import { appendCapability, minimalVirtioConfigSpace } from './config-space-edit.ts';
import { vendorDataCapability } from './mechanisms/vendor-data-capability.ts';
import { backendDomidCapability } from './mechanisms/virtio-capability.ts';

describe('config space edits', () => {
  it('starts from a modern virtio function header without capabilities', () => {
    const config = minimalVirtioConfigSpace(1);
    expect([...config.subarray(0, 4)]).toEqual([0xf4, 0x1a, 0x41, 0x10]);
    expect(config[8]).toBe(1);
    expect(walkCapabilities(config).capabilities).toEqual([]);
  });

  it('links appended capabilities into the legacy list so the walker finds them in order', () => {
    const first = appendCapability(minimalVirtioConfigSpace(1), vendorDataCapability(3));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.config[0x34]).toBe(first.offset);
    expect(first.config[6]! & 0x10).toBe(0x10);
    const second = appendCapability(first.config, backendDomidCapability(4));
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    const walk = walkCapabilities(second.config);
    expect(walk.capabilities.map((capability) => capability.offset)).toEqual([first.offset, second.offset]);
    expect(walk.capabilities.map((capability) => capability.virtio?.cfgType)).toEqual([9, 10]);
    expect(walk.issues.filter((issue) => issue.code !== 'reserved-cfg-type')).toEqual([]);
    expect(second.offset % 4).toBe(0);
    expect(second.offset + 20 <= first.offset || first.offset + 12 <= second.offset).toBe(true);
  });

  it('reports when there is no room', () => {
    const full = minimalVirtioConfigSpace(1);
    full.fill(0xaa, 0x40);
    expect(appendCapability(full, vendorDataCapability(3))).toEqual({ ok: false, error: { code: 'no-room', size: 12 } });
  });
});
