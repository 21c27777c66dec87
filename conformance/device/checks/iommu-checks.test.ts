import { describe, expect, it } from 'vitest';
import { VIRTIO_IOMMU_CONFIG_OFFSETS, VirtioIommuFeatures } from '../../../generated/ts/virtio/virtio-iommu-config.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { checkBypassFeatures, checkBypassField, checkMapUnmapOffered, checkPageSizeMask } from './iommu-checks.ts';
import { preferredCapabilities } from './live-access.ts';
import { device, type Harness } from '../../../test-support/device-checks/test-devices.ts';

/** Makes window 0 of device_feature show `change(value)`. */
function features(h: Harness, change: (low: number) => number): void {
  h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') && s.featureSelect === 0 ? change(v) >>> 0 : v);
}

describe('virtio-iommu checks', () => {
  it('the reference virtio-iommu passes; BYPASS_CONFIG rules are inapplicable without it', async () => {
    const h = await device('iommu');
    expect((await checkMapUnmapOffered(h.view, h.common)).outcome).toBe('pass');
    expect((await checkBypassFeatures(h.view, h.common, 'superseded')).outcome).toBe('pass');
    expect((await checkBypassFeatures(h.view, h.common, 'exclusive')).outcome).toBe('pass');
    expect((await checkPageSizeMask(h.view, h.common)).outcome).toBe('pass');
    expect((await checkBypassField(h.view, h.common, 'range')).outcome).toBe('inapplicable');
  });

  it('other device types are inapplicable', async () => {
    const h = await device('net');
    expect((await checkMapUnmapOffered(h.view, h.common)).outcome).toBe('inapplicable');
  });

  it('fails without MAP_UNMAP, with BYPASS, and with BYPASS plus BYPASS_CONFIG', async () => {
    const h = await device('iommu');
    features(h, (low) => (low & ~VirtioIommuFeatures.MAP_UNMAP) | VirtioIommuFeatures.BYPASS | VirtioIommuFeatures.BYPASS_CONFIG);
    expect((await checkMapUnmapOffered(h.view, h.common)).outcome).toBe('fail');
    expect((await checkBypassFeatures(h.view, h.common, 'superseded')).outcome).toBe('fail');
    expect((await checkBypassFeatures(h.view, h.common, 'exclusive')).outcome).toBe('fail');
  });

  it('fails a zero page_size_mask and a bypass of 2, at their BAR offsets', async () => {
    const h = await device('iommu');
    const base = Number(preferredCapabilities(h.view).get(VirtioPciCfgType.DEVICE_CFG)!.virtio.offset);
    const mask = base + VIRTIO_IOMMU_CONFIG_OFFSETS.pageSizeMask;
    const bypass = base + VIRTIO_IOMMU_CONFIG_OFFSETS.bypass;
    h.hooks.readBar = (o, _w, v, s) =>
      o === mask || o === mask + 4 ? 0 : o === bypass ? 2 : o === h.at('deviceFeature') && s.featureSelect === 0 ? v | VirtioIommuFeatures.BYPASS_CONFIG : v;
    const zero = await checkPageSizeMask(h.view, h.common);
    expect(zero.outcome).toBe('fail');
    if (zero.outcome === 'fail') expect(zero.evidence[0]).toMatchObject({ kind: 'bytes', offset: mask, highlight: [mask] });
    const range = await checkBypassField(h.view, h.common, 'range');
    expect(range.outcome === 'fail' && range.message).toContain('neither 0 nor 1');
  });
});
