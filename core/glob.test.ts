import { describe, expect, it } from 'vitest';
import { matchesGlob } from './glob.ts';

describe('matchesGlob', () => {
  it.each([
    ['model:linux-6.*', 'model:linux-6.2', true],
    ['model:linux-6.*', 'model:linux-2026', false],
    ['dump:*', 'dump:fixtures/dumps/x.lspci', true],
    ['XEN-INV-0?', 'XEN-INV-03', true],
    ['XEN-INV-0?', 'XEN-INV-13', false],
    ['qemu:virtio-net-pci', 'qemu:virtio-net-pci', true],
    ['qemu:virtio-net-pci', 'qemu:virtio-net-pci,x', false],
    ['a.c', 'abc', false],
    ['exec:(x)+[y]', 'exec:(x)+[y]', true],
  ])('%s matches %s: %s', (glob, value, expected) => {
    expect(matchesGlob(glob, value)).toBe(expected);
  });
});
