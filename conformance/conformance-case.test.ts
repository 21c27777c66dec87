import { describe, expect, it } from 'vitest';
import { caseFullName } from './conformance-case.ts';

describe('caseFullName', () => {
  it('joins groups and name the way vitest joins describe blocks and test names', () => {
    expect(caseFullName({ groups: ['qemu:virtio-net-pci', '0000:00:03.0'], name: 'PCI-DEV-02 vendor ID is 0x1AF4' })).toBe(
      'qemu:virtio-net-pci > 0000:00:03.0 > PCI-DEV-02 vendor ID is 0x1AF4',
    );
    expect(caseFullName({ groups: [], name: 'alone' })).toBe('alone');
  });
});
