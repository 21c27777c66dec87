import { describe, expect, it } from 'vitest';
import { VIRTIO_PCI_LEGACY_CONFIG_OFFSET } from '../../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { checkLegacyAccessWidths, checkLegacyConfigOffset } from './legacy-checks.ts';
import { device } from '../../../test-support/device-checks/test-devices.ts';

describe('legacy interface checks', () => {
  it('the reference transitional net passes both; modern devices are inapplicable', async () => {
    const h = await device('net-transitional');
    const sizes = await h.fn.barSizes();
    expect((await checkLegacyConfigOffset(h.view, h.common.access, sizes)).outcome).toBe('pass');
    expect((await checkLegacyAccessWidths(h.view, h.common.access, sizes)).outcome).toBe('pass');
    const modern = await device('net');
    expect((await checkLegacyConfigOffset(modern.view, modern.common.access, await modern.fn.barSizes())).outcome).toBe('inapplicable');
  });

  it('fails byte reads of legacy device configuration that differ from wider reads and from the modern copy', async () => {
    const h = await device('net-transitional');
    const sizes = await h.fn.barSizes();
    const first = VIRTIO_PCI_LEGACY_CONFIG_OFFSET;
    h.hooks.readBar = (o, w, v, _s, bar) => (bar === 0 && w === 1 && o === first + 1 ? v ^ 0xff : v);
    const offset = await checkLegacyConfigOffset(h.view, h.common.access, sizes);
    expect(offset.outcome === 'fail' && offset.message).toContain(`byte 0x${(first + 1).toString(16)}`);
    if (offset.outcome === 'fail') expect(offset.evidence[0]).toMatchObject({ space: 'bar0', highlight: [first + 1] });
    const widths = await checkLegacyAccessWidths(h.view, h.common.access, sizes);
    expect(widths.outcome === 'fail' && widths.message).toContain(`offset 0x${first.toString(16)}`);
  });
});
