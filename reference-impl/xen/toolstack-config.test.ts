import { describe, expect, it } from 'vitest';
import { LIBXL_TOOLSTACK_DOMID } from '../../generated/ts/xen/xen-toolstack.ts';
import { resolveGrantUsage, toolstackView } from './toolstack-config.ts';

describe('toolstack configuration', () => {
  it('uses grants by default exactly when the backend is not the toolstack domain, unless grant_usage says', () => {
    expect(LIBXL_TOOLSTACK_DOMID).toBe(0);
    expect([resolveGrantUsage({}), resolveGrantUsage({ backend: 0 }), resolveGrantUsage({ backend: 3 })]).toEqual([false, false, true]);
    expect([resolveGrantUsage({ backend: 3, grantUsage: false }), resolveGrantUsage({ backend: 0, grantUsage: true })]).toEqual([false, true]);
  });

  it('resolves every device and the iommu-map layout, defaulting to dom0 backends and per-function entries', () => {
    const bdf = { segment: 0, bus: 0, device: 1, function: 0 };
    const view = toolstackView({ domid: 4, type: 'pvh', arch: 'arm', virtio: [{ id: 'a', type: 'virtio,device1', transport: 'pci', bdf }, { id: 'b', type: 'virtio,device2', transport: 'mmio', backend: 2 }] });
    expect(view.devices).toEqual([
      { id: 'a', transport: 'pci', bdf, backendDomid: 0, grantUsage: false, type: 'virtio,device1' },
      { id: 'b', transport: 'mmio', backendDomid: 2, grantUsage: true, type: 'virtio,device2' },
    ]);
    expect(view.iommuMapLength).toBe('per-function');
    expect(view).not.toHaveProperty('iommuMapMask');
    expect(toolstackView(view.guest, { iommuMapLength: 'rfc-slot', iommuMapMask: 0xfff8 })).toMatchObject({ iommuMapLength: 'rfc-slot', iommuMapMask: 0xfff8 });
  });
});
