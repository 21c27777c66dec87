import { describe, expect, it } from 'vitest';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VIRTIO_PCI_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { checkInput, conformantInit, conformantTrace, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkAccessWidths, checkCapabilityWrites, checkWindowAlignment, checkWindowTarget } from './access-checks.ts';

/** Where the builder's device has its PCI_CFG capability and its notification capability (test data). */
const WINDOW_CAP = 0x84;
const NOTIFY_CAP = 0x70;

describe('access checks', () => {
  const good = checkInput(conformantTrace());

  it('pass natural-width accesses and no capability writes', () => {
    expect(checkAccessWidths(good).outcome).toBe('pass');
    expect(checkCapabilityWrites(good).outcome).toBe('inapplicable');
    expect(checkWindowAlignment(good).outcome).toBe('inapplicable');
    expect(checkWindowTarget(good).outcome).toBe('inapplicable');
  });

  it('fail a 16-bit access to the 8-bit device_status, a 64-bit field read whole, and a wide ISR read', () => {
    const byWidth = (build: (b: TraceBuilder) => void) => {
      const b = conformantInit(new TraceBuilder());
      build(b);
      return checkAccessWidths(checkInput(b.build()));
    };
    expect(byWidth((b) => b.common('read', 'deviceStatus', 0xf, { width: 2 }))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('device_status') });
    expect(byWidth((b) => b.common('write', 'queueDesc', 0x1000, { width: 8 })).outcome).toBe('violation');
    expect(byWidth((b) => b.deviceConfig('read', 2, 4, 0)).outcome).toBe('violation');
    expect(byWidth((b) => b.deviceConfig('read', 4, 4, 0)).outcome).toBe('pass');
  });

  it('fail a write into a structure capability, pass one into the window fields', () => {
    const b = conformantInit(new TraceBuilder());
    b.config('write', NOTIFY_CAP + VIRTIO_PCI_CAP_OFFSETS.offset, 4, 0);
    expect(checkCapabilityWrites(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('virtio_pci_notify_cap') });
    const window = conformantInit(new TraceBuilder());
    window.config('write', WINDOW_CAP + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4, 0);
    expect(checkCapabilityWrites(checkInput(window.build())).outcome).toBe('pass');
  });

  it('judge the window: offset a multiple of length, data only onto described structures', () => {
    const use = (offset: number, length: number) => {
      const b = conformantInit(new TraceBuilder());
      b.config('write', WINDOW_CAP + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1, 4);
      b.config('write', WINDOW_CAP + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4, length);
      b.config('write', WINDOW_CAP + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4, offset);
      b.config('read', WINDOW_CAP + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData, 4, 0);
      return checkInput(b.build());
    };
    expect(checkWindowAlignment(use(0x14, 1)).outcome).toBe('pass');
    expect(checkWindowAlignment(use(0x14, 4)).outcome).toBe('pass');
    expect(checkWindowAlignment(use(0x15, 2)).outcome).toBe('violation');
    expect(checkWindowTarget(use(0x14, 1)).outcome).toBe('pass');
    expect(checkWindowTarget(use(0x3ffe, 4))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('no other virtio capability') });
  });
});
