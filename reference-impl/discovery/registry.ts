/**
 * Every discovery mechanism of spec/mechanisms.yaml, keyed by its id, each joined with its catalogue
 * entry (writer, trusted, ...). The implementations table must name exactly the catalogue's ids.
 */
import type { DiscoveryMechanism, MechanismImplementation } from './mechanism.ts';
import { mechanismCatalogue } from './mechanism-catalogue.ts';
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

/** Stands in for a catalogued mechanism that has no module yet: publishes nothing, reads absent. */
const notImplemented: MechanismImplementation = {
  modelled: false,
  publish: (_view, _device, scenario) => scenario,
  read: () => ({ kind: 'absent' }),
};

/**
 * Ids the catalogue and the implementations table disagree on. Empty when they match (a test
 * asserts it); a mismatch degrades to unmodelled mechanisms instead of breaking every import.
 */
export const registryMismatches: readonly { id: string; problem: 'no-implementation' | 'not-in-catalogue' }[] = (() => {
  const catalogued = new Set(mechanismCatalogue().map((entry) => entry.id));
  return [
    ...[...catalogued].filter((id) => !mechanismImplementations[id]).map((id) => ({ id, problem: 'no-implementation' as const })),
    ...Object.keys(mechanismImplementations).filter((id) => !catalogued.has(id)).map((id) => ({ id, problem: 'not-in-catalogue' as const })),
  ];
})();

/** Every mechanism of spec/mechanisms.yaml, by id, in file order. */
export const discoveryMechanisms: Readonly<Record<string, DiscoveryMechanism>> = Object.freeze(
  Object.fromEntries(mechanismCatalogue().map((entry) => [entry.id, { id: entry.id, entry, ...(mechanismImplementations[entry.id] ?? notImplemented) }])),
);

/** Ids of the mechanisms whose writer is not the backend (trusted per the catalogue). */
export function trustedMechanismIds(): string[] {
  return Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.trusted).map((mechanism) => mechanism.id);
}
