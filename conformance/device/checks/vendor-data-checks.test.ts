import { describe, expect, it } from 'vitest';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../../generated/ts/pci/pci-type0-header.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { device, type Harness } from '../../../test-support/device-checks/test-devices.ts';
import { checkVendorDataReads } from './vendor-data-checks.ts';

function vendorCapability(h: Harness) {
  return h.view.virtioCapabilities.find((capability) => capability.virtio.cfgType === VirtioPciCfgType.VENDOR_CFG)!;
}

/** Calls `effect` on every read of a byte of the vendor data capability. */
function onVendorRead(h: Harness, effect: (offset: number, value: number) => number): void {
  const vendor = vendorCapability(h);
  h.hooks.readConfig = (o, _w, v) => (o >= vendor.offset && o < vendor.offset + vendor.capLen ? effect(o - vendor.offset, v) : v);
}

describe('PCI-DEV-40: reading vendor data has no side effects', () => {
  it('passes vendor data whose value changes on every read (a counter): its value is not a side effect', async () => {
    const h = await device('fs');
    let reads = 0;
    onVendorRead(h, (at, v) => (at === 6 ? reads++ & 0xff : v));
    const finding = await checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot(), h.common);
    expect(finding.outcome, JSON.stringify(finding)).toBe('pass');
    expect(reads).toBeGreaterThan(2);
  });

  it('fails a read that changes another config byte (the PCI status register)', async () => {
    const h = await device('fs');
    const at = PCI_TYPE0_HEADER_OFFSETS.status;
    onVendorRead(h, (_o, v) => {
      h.fn.model.config.poke(at, 2, h.fn.model.config.peek(at, 2) | PciStatus.DETECTED_PARITY);
      return v;
    });
    const finding = await checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot(), h.common);
    expect(finding.outcome === 'fail' && finding.violations[0]).toMatchObject({ code: 'vendor-data-read-side-effect', where: `config byte 0x${(at + 1).toString(16)}` });
  });

  it('fails a read that changes what the common configuration shows (queue_select moves)', async () => {
    const h = await device('fs');
    onVendorRead(h, (_o, v) => {
      h.fn.model.state.queueSelect = (h.fn.model.state.queueSelect + 1) & 0xffff;
      return v;
    });
    const finding = await checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot(), h.common);
    expect(finding.outcome === 'fail' && finding.violations[0]).toMatchObject({ code: 'vendor-data-read-side-effect', where: 'queue_select in the common configuration' });
  });

  it('is inapplicable without vendor data', async () => {
    const h = await device('net');
    expect((await checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot(), h.common)).outcome).toBe('inapplicable');
  });
});
