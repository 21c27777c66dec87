import { describe, expect, it } from 'vitest';
import { pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { fieldNameAt, layoutFieldNamed } from './field-names.ts';

describe('fieldNameAt', () => {
  it('names a whole field, one half of a 64-bit field, several fields, or nothing', () => {
    expect(fieldNameAt(virtioPciCommonCfgLayout, VIRTIO_PCI_COMMON_CFG_OFFSETS.deviceStatus, 1)).toBe('device_status');
    expect(fieldNameAt(virtioPciCommonCfgLayout, VIRTIO_PCI_COMMON_CFG_OFFSETS.queueDesc + 4, 4)).toBe('queue_desc[63:32]');
    expect(fieldNameAt(virtioPciCommonCfgLayout, VIRTIO_PCI_COMMON_CFG_OFFSETS.deviceStatus, 2)).toBe('device_status..config_generation');
    expect(fieldNameAt(virtioPciCommonCfgLayout, VIRTIO_PCI_COMMON_CFG_OFFSETS.numQueues + 1, 1)).toBe('num_queues[15:8]');
    expect(fieldNameAt(virtioPciCommonCfgLayout, 0x400, 4)).toBeUndefined();
  });

  it('spans bit fields of a register', () => {
    const control = layoutFieldNamed(pciMsixCapLayout, 'table_size')!.offset;
    expect(fieldNameAt(pciMsixCapLayout, control, 2)).toBe('table_size..enable');
    expect(layoutFieldNamed(pciMsixCapLayout, 'nope')).toBeUndefined();
  });
});
