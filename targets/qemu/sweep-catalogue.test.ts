import { describe, expect, it } from 'vitest';
import { qemuGate } from '../../test-support/machine-tools.ts';
import { catalogueFromHelp, listQemuSweepTargets, parsePciDeviceHelp } from './sweep-catalogue.ts';

// Lines in the form `qemu-system-x86_64 -device help` prints them (test data).
const HELP = `Network devices:
name "e1000", bus PCI, alias "e1000-82540em", desc "Intel Gigabit Ethernet"
name "virtio-net-pci", bus PCI, alias "virtio-net"
name "virtio-net-pci-non-transitional", bus PCI
name "virtio-net-pci-transitional", bus PCI
name "virtio-net-device", bus virtio-bus

Display devices:
name "virtio-gpu-gl-pci", bus PCI, alias "virtio-gpu-gl"
name "virtio-gpu-pci", bus PCI, alias "virtio-gpu"

Misc devices:
name "virtio-iommu-pci", bus PCI, alias "virtio-iommu"
name "virtio-input-host-pci", bus PCI, alias "virtio-input-host"
name "vhost-user-fs-pci", bus PCI
`;

const qemu = await qemuGate();

describe('qemu:all catalogue', () => {
  it('reads PCI device names from -device help', () => {
    expect(parsePciDeviceHelp(HELP)).toEqual([
      'e1000',
      'virtio-net-pci',
      'virtio-net-pci-non-transitional',
      'virtio-net-pci-transitional',
      'virtio-gpu-gl-pci',
      'virtio-gpu-pci',
      'virtio-iommu-pci',
      'virtio-input-host-pci',
      'vhost-user-fs-pci',
    ]);
  });

  it('sweeps each virtio-*-pci type in modern, transitional (where QEMU has it), PCIe and iommu_platform variants', () => {
    const catalogue = catalogueFromHelp(HELP, '/usr/bin/qemu');
    expect(catalogue.targets.map((t) => [t.id, t.spec])).toEqual([
      ['virtio-gpu-pci/modern', 'qemu:virtio-gpu-pci,disable-legacy=on'],
      ['virtio-gpu-pci/pcie', 'qemu:virtio-gpu-pci@pcie'],
      ['virtio-gpu-pci/iommu-platform', 'qemu:virtio-gpu-pci,disable-legacy=on,iommu_platform=on'],
      ['virtio-iommu-pci/modern', 'qemu:virtio-iommu-pci,disable-legacy=on'],
      ['virtio-iommu-pci/iommu-platform', 'qemu:virtio-iommu-pci,disable-legacy=on,iommu_platform=on'],
      ['virtio-net-pci/modern', 'qemu:virtio-net-pci,disable-legacy=on'],
      ['virtio-net-pci/transitional', 'qemu:virtio-net-pci-transitional'],
      ['virtio-net-pci/pcie', 'qemu:virtio-net-pci@pcie'],
      ['virtio-net-pci/iommu-platform', 'qemu:virtio-net-pci,disable-legacy=on,iommu_platform=on'],
    ]);
    const skipped = Object.fromEntries(catalogue.skipped.map((s) => [s.device, s.reason]));
    expect(skipped['virtio-gpu-gl-pci']).toMatch(/OpenGL/);
    expect(skipped['virtio-input-host-pci']).toMatch(/evdev/);
    expect(skipped['virtio-iommu-pci/pcie']).toMatch(/root bus/);
    expect(Object.keys(skipped)).not.toContain('e1000');
  });

  it.skipIf(!qemu.runs)(qemu.title("lists the installed QEMU's devices, net, blk and iommu among them"), async () => {
    qemu.require();
    const catalogue = await listQemuSweepTargets();
    const ids = catalogue.targets.map((t) => t.id);
    for (const id of ['virtio-net-pci/modern', 'virtio-net-pci/transitional', 'virtio-net-pci/pcie', 'virtio-blk-pci/iommu-platform', 'virtio-iommu-pci/modern']) {
      expect(ids).toContain(id);
    }
  });
});
