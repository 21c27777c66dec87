import { describe, expect, it } from 'vitest';
import { testKey, testWithoutTarget } from './test-key.ts';

describe('testKey', () => {
  it('is the same for one check on two targets, and differs between checks', () => {
    const onModel = { suite: 'frontend', target: 'model:linux-6.5', requirement: 'XEN-INV-02', test: 'frontend model:linux-6.5 > XEN-INV-02 the initial domain never falls back to itself' };
    const onAdapter = { ...onModel, target: 'exec:./adapter --x', test: 'frontend exec:./adapter --x > XEN-INV-02 the initial domain never falls back to itself' };
    expect(testKey(onModel)).toBe('frontend:frontend {target} > XEN-INV-02 the initial domain never falls back to itself#XEN-INV-02');
    expect(testKey(onAdapter)).toBe(testKey(onModel));
    expect(testKey({ ...onModel, requirement: 'XEN-INV-03' })).not.toBe(testKey(onModel));
  });

  it('takes the target out of every group that names it, and leaves other text alone', () => {
    expect(testWithoutTarget({ target: 'qemu:virtio-net-pci', test: 'device qemu:virtio-net-pci > 00:02.0 > PCI-DEV-02 vendor id' })).toBe('device {target} > 00:02.0 > PCI-DEV-02 vendor id');
    expect(testWithoutTarget({ target: 'reference', test: 'frontend reference > mechanism xenstore > XEN-INV-01 reference is not rewritten' })).toBe(
      'frontend {target} > mechanism xenstore > XEN-INV-01 reference is not rewritten',
    );
    expect(testWithoutTarget({ target: 'xvc:codecs', test: 'pci_cap > PCI-DEV-02 x' })).toBe('pci_cap > PCI-DEV-02 x');
  });
});
