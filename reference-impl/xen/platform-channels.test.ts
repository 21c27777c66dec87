import { describe, expect, it } from 'vitest';
import { guestChannels, mechanismUnavailable, rootBusBridgeHasParent } from './platform-channels.ts';

describe('platform channels', () => {
  it('give Arm a device tree, every guest xenstore, x86 PV domUs neither ACPI nor emulated PCI', () => {
    expect([...guestChannels({ arch: 'arm', type: 'pvh' })].sort()).toEqual(['acpi', 'device-tree', 'emulated-pci', 'xenstore']);
    expect([...guestChannels({ arch: 'x86', type: 'hvm' })].sort()).toEqual(['acpi', 'emulated-pci', 'xenstore']);
    expect([...guestChannels({ arch: 'x86', type: 'pv' })].sort()).toEqual(['xenstore']);
    expect([...guestChannels({ arch: 'x86', type: 'pv', initialDomain: true })].sort()).toEqual(['acpi', 'xenstore']);
  });

  it('say why a mechanism cannot reach a guest: its architectures, or none of its dependencies', () => {
    expect(mechanismUnavailable({ architectures: ['arm'], dependencies: ['device-tree'] }, { arch: 'x86', type: 'hvm' })).toBe('it works on arm only');
    expect(mechanismUnavailable({ architectures: ['x86'], dependencies: ['acpi', 'emulated-pci'] }, { arch: 'x86', type: 'pv' })).toBe('the guest has no acpi or emulated-pci');
    expect(mechanismUnavailable({ architectures: ['x86'], dependencies: ['acpi', 'xenstore'] }, { arch: 'x86', type: 'pv' })).toBeUndefined();
    expect(mechanismUnavailable({ architectures: ['x86', 'arm'], dependencies: [] }, { arch: 'x86', type: 'pv' })).toBeUndefined();
  });

  it('give a root-bus bridge a parent on Arm and for x86 PV domUs (pcifront), not for other x86 guests', () => {
    expect([
      rootBusBridgeHasParent({ arch: 'arm', type: 'pvh' }),
      rootBusBridgeHasParent({ arch: 'x86', type: 'pv' }),
      rootBusBridgeHasParent({ arch: 'x86', type: 'pv', initialDomain: true }),
      rootBusBridgeHasParent({ arch: 'x86', type: 'hvm' }),
    ]).toEqual([true, true, false, false]);
  });
});
