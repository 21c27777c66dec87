/**
 * Every discovery mechanism of spec/mechanisms.yaml, keyed by its id, each joined with its catalogue
 * entry (writer, trusted, ...). The implementations table must name exactly the catalogue's ids.
 */
import type { DiscoveryMechanism, MechanismImplementation } from './mechanism.ts';
import { mechanismCatalogue, MechanismCatalogueError } from './mechanism-catalogue.ts';
import { acpiTable } from './mechanisms/acpi-table.ts';
import { bootParameter } from './mechanisms/boot-parameter.ts';
import { commonConfigField } from './mechanisms/common-config-field.ts';
import { deviceRegister } from './mechanisms/device-register.ts';
import { dom0Default } from './mechanisms/dom0-default.ts';
import { dtIommuMap } from './mechanisms/dt-iommu-map.ts';
import { dtIommus } from './mechanisms/dt-iommus.ts';
import { dummyPciDevice } from './mechanisms/dummy-pci-device.ts';
import { rootComplexRegister } from './mechanisms/root-complex-register.ts';
import { vendorDataCapabilityMechanism } from './mechanisms/vendor-data-capability.ts';
import { virtioCapability } from './mechanisms/virtio-capability.ts';
import { virtioIommuMechanism } from './mechanisms/virtio-iommu.ts';
import { xenstore } from './mechanisms/xenstore.ts';

/** Implementation of each mechanism id. */
export const mechanismImplementations: Readonly<Record<string, MechanismImplementation>> = {
  'dt-iommus': dtIommus,
  'dt-iommu-map': dtIommuMap,
  'acpi-table': acpiTable,
  xenstore,
  'root-complex-register': rootComplexRegister,
  'device-register': deviceRegister,
  'common-config-field': commonConfigField,
  'virtio-capability': virtioCapability,
  'vendor-data-capability': vendorDataCapabilityMechanism,
  'dummy-pci-device': dummyPciDevice,
  'virtio-iommu-trusted': virtioIommuMechanism('virtio-iommu-trusted'),
  'virtio-iommu-backend': virtioIommuMechanism('virtio-iommu-backend'),
  'boot-parameter': bootParameter,
  'dom0-default': dom0Default,
};

function buildRegistry(): Readonly<Record<string, DiscoveryMechanism>> {
  const registry: Record<string, DiscoveryMechanism> = {};
  for (const entry of mechanismCatalogue()) {
    const implementation = mechanismImplementations[entry.id];
    if (!implementation) throw new MechanismCatalogueError([`mechanism '${entry.id}' has no implementation in reference-impl/discovery`]);
    registry[entry.id] = { id: entry.id, entry, ...implementation };
  }
  return Object.freeze(registry);
}

/** Every mechanism of spec/mechanisms.yaml, by id, in file order. */
export const discoveryMechanisms: Readonly<Record<string, DiscoveryMechanism>> = buildRegistry();

/** Ids of the mechanisms whose writer is not the backend (trusted per the catalogue). */
export function trustedMechanismIds(): string[] {
  return Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.trusted).map((mechanism) => mechanism.id);
}
