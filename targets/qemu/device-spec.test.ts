import { describe, expect, it } from 'vitest';
import { TargetError } from '../device-target.ts';
import { qemuArguments } from './command-line.ts';
import { formatQemuDeviceSpec, parseQemuDeviceSpec, type QemuDeviceSpec } from './device-spec.ts';

describe('qemu target spec: the grants option', () => {
  it('reads grants=on as xvc\'s own option and keeps it off the QEMU command line', () => {
    const spec = parseQemuDeviceSpec('qemu:virtio-net-pci,disable-legacy=on,grants=on@pcie') as QemuDeviceSpec;
    expect(spec).toMatchObject({ device: 'virtio-net-pci', props: ['disable-legacy=on'], grants: true, placement: 'root-port' });
    const device = qemuArguments(spec).find((arg) => arg.startsWith('virtio-net-pci'))!;
    expect(device).toContain('disable-legacy=on');
    expect(device).not.toContain('grants');
    expect(formatQemuDeviceSpec(spec)).toBe('qemu:virtio-net-pci,disable-legacy=on,grants=on@pcie');
  });

  it('is off unless written, and takes only on or off', () => {
    expect((parseQemuDeviceSpec('qemu:virtio-net-pci,iommu_platform=on') as QemuDeviceSpec).grants).toBe(false);
    expect((parseQemuDeviceSpec('qemu:virtio-net-pci,grants=off') as QemuDeviceSpec).grants).toBe(false);
    expect(parseQemuDeviceSpec('qemu:virtio-net-pci,grants=yes')).toBeInstanceOf(TargetError);
  });
});
