import { describe, expect, it } from 'vitest';
import { discoveryMechanisms } from '../../reference-impl/discovery/index.ts';
import { supportedTransports } from './mechanism-transports.ts';

describe('supportedTransports', () => {
  it('finds what each mechanism describes: a virtio-mmio node, PCI requester IDs, a PCI capability, or both', () => {
    // spec/mechanisms.yaml: iommus on a virtio-mmio node; iommu-map by requester ID on a PCI host bridge;
    // a vendor-specific capability in PCI config space; a per-device xenstore path for either.
    expect(supportedTransports(discoveryMechanisms['dt-iommus'])).toEqual(['mmio']);
    expect(supportedTransports(discoveryMechanisms['dt-iommu-map'])).toEqual(['pci']);
    expect(supportedTransports(discoveryMechanisms['virtio-capability'])).toEqual(['pci']);
    expect([...supportedTransports(discoveryMechanisms.xenstore)].sort()).toEqual(['mmio', 'pci']);
  });

  it('answers each mechanism once: the same list every time', () => {
    const first = supportedTransports(discoveryMechanisms['vendor-data-capability']);
    expect(supportedTransports(discoveryMechanisms['vendor-data-capability'])).toBe(first);
  });

  it('names only the two transports, each at most once, for every mechanism of the catalogue', () => {
    for (const mechanism of Object.values(discoveryMechanisms)) {
      const transports = supportedTransports(mechanism);
      expect(new Set(transports).size, mechanism.id).toBe(transports.length);
      for (const transport of transports) expect(['pci', 'mmio'], mechanism.id).toContain(transport);
    }
  });
});
