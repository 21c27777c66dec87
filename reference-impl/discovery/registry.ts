/**
 * Every discovery mechanism of spec/mechanisms.yaml, keyed by its id, each joined with its catalogue
 * entry (writer, trusted, ...). The implementations table must name exactly the catalogue's ids.
 */
import type { DiscoveryMechanism, MechanismImplementation } from './mechanism.ts';
import { mechanismCatalogue, type MechanismId } from './mechanism-catalogue.ts';
import { acpiTable } from './mechanisms/acpi-table.ts';
import { bootParameter } from './mechanisms/boot-parameter.ts';
import { commonConfigField } from './mechanisms/common-config-field.ts';
import { deviceRegister } from './mechanisms/device-register.ts';
import { dom0Default } from './mechanisms/dom0-default.ts';
import { dtIommuMap } from './mechanisms/dt-iommu-map.ts';
import { dtIommuMapDom0less } from './mechanisms/dt-iommu-map-dom0less.ts';
import { dtIommus } from './mechanisms/dt-iommus.ts';
import { dummyPciDevice } from './mechanisms/dummy-pci-device.ts';
import { rootComplexRegister } from './mechanisms/root-complex-register.ts';
import { vendorDataCapabilityMechanism } from './mechanisms/vendor-data-capability.ts';
import { virtioCapability } from './mechanisms/virtio-capability.ts';
import { virtioIommuMechanism } from './mechanisms/virtio-iommu.ts';
import { xenstore } from './mechanisms/xenstore.ts';

/** Implementation of each mechanism id; the key type makes a missing or unknown id a compile error. */
export const mechanismImplementations: Readonly<Record<MechanismId, MechanismImplementation>> = {
  'dt-iommus': dtIommus,
  'dt-iommu-map': dtIommuMap,
  'dt-iommu-map-dom0less': dtIommuMapDom0less,
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

/** Every mechanism of spec/mechanisms.yaml, by id, in file order. */
export const discoveryMechanisms: Readonly<Record<MechanismId, DiscoveryMechanism>> = Object.freeze(
  Object.fromEntries(mechanismCatalogue().map((entry) => [entry.id, { id: entry.id, entry, ...mechanismImplementations[entry.id] }])) as Record<MechanismId, DiscoveryMechanism>,
);

/** Ids of the mechanisms whose writer is not the backend (trusted per the catalogue). */
export function trustedMechanismIds(): MechanismId[] {
  return Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.trusted).map((mechanism) => mechanism.id);
}
