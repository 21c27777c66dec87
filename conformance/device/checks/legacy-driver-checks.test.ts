import { describe, expect, it } from 'vitest';
import { PCI_TYPE0_HEADER_OFFSETS } from '../../../generated/ts/pci/pci-type0-header.ts';
import { PCI_BASE_ADDRESS_SPACE_IO } from '../../../generated/ts/pci/pci-bar-mem32.ts';
import { VIRTIO_PCI_LEGACY_CFG_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { viewFunction } from './function-view.ts';
import { checkLegacyDriverFendOff } from './legacy-driver-checks.ts';
import { device, type Harness } from '../../../test-support/device-checks/test-devices.ts';

/** The modern reference net, presented as if BAR0 were a 32-byte I/O BAR. */
async function withIoBar0(): Promise<{ h: Harness; sizes: number[] }> {
  const h = await device('net');
  const config = await h.fn.snapshot();
  config[PCI_TYPE0_HEADER_OFFSETS.bar0] = PCI_BASE_ADDRESS_SPACE_IO;
  h.view = viewFunction(h.fn.id, config, { claimedVirtio: true });
  const sizes = await h.fn.barSizes();
  sizes[0] = 32;
  return { h, sizes };
}

describe('checkLegacyDriverFendOff (PCI-DEV-44)', () => {
  it('is inapplicable without an I/O BAR0 and for transitional devices', async () => {
    const modern = await device('net');
    expect((await checkLegacyDriverFendOff(modern.view, modern.common, await modern.fn.barSizes())).outcome).toBe('inapplicable');
    const transitional = await device('net-transitional');
    expect((await checkLegacyDriverFendOff(transitional.view, transitional.common, await transitional.fn.barSizes())).outcome).toBe('inapplicable');
  });

  it('fails a device whose BARs still read after the legacy status write', async () => {
    const { h, sizes } = await withIoBar0();
    const verdict = await checkLegacyDriverFendOff(h.view, h.common, sizes);
    expect(verdict.outcome === 'fail' && verdict.message).toContain('BAR4');
  });

  it('passes a device that zeroes every BAR and drops writes after it', async () => {
    const { h, sizes } = await withIoBar0();
    let quiet = false;
    h.hooks.writeBar = (o, w, v) => {
      if (o === VIRTIO_PCI_LEGACY_CFG_OFFSETS.deviceStatus && w === 1 && v === 0) quiet = true;
      return !quiet;
    };
    h.hooks.readBar = (_o, _w, v) => (quiet ? 0 : v);
    expect((await checkLegacyDriverFendOff(h.view, h.common, sizes)).outcome).toBe('pass');
  });
});
