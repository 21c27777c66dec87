/**
 * dt-iommu-map: the toolstack gives the PCI host bridge an `iommu-map` entry per device (Linux >= 6.2
 * reads it; only the unmerged Nov-2023 libxl RFC writes it, one host bridge per backend domain).
 */
import { pciRequesterIdLayout } from '../../../generated/ts/pci/pci-requester-id.ts';
import { GUEST_PHANDLE_IOMMU } from '../../../generated/ts/xen/xen-toolstack.ts';
import type { IommuMapLength } from '../../xen/toolstack-config.ts';
import { requesterIdOf } from '../device-tree-of.ts';
import { readIommuMap, treeWithGrantDmaNode } from '../device-tree.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';

/** RIDs one entry covers: 1 per function, or the RFC's whole slot (every function number). */
export function iommuMapEntryLength(length: IommuMapLength): number {
  const functionBits = pciRequesterIdLayout.fields.find((field) => field.name === 'function')?.bits ?? 0;
  return length === 'rfc-slot' ? 2 ** functionBits : 1;
}

/** Name of the host-bridge node serving devices of one backend domain (the RFC's layout). */
export function hostBridgeName(backendDomid: number): string {
  return `pcie-backend-${backendDomid}`;
}

/** The mechanism. */
export const dtIommuMap: MechanismImplementation = {
  modelled: true,
  publish(view, device, scenario, publisher = honestPublisher) {
    const rid = device.transport === 'pci' && device.bdf ? requesterIdOf(device.bdf) : undefined;
    if (rid === undefined) return scenario;
    const name = scenario.devices.find((candidate) => candidate.id === device.id)?.hostBridgeDtNode ?? hostBridgeName(device.backendDomid);
    const domid = publishedDomid(publisher, device);
    const tree = domid === undefined ? (scenario.channels.deviceTree ?? { iommuNodes: [], mmioNodes: [], pciHostBridges: [] }) : treeWithGrantDmaNode(scenario);
    const bridge = tree.pciHostBridges.find((candidate) => candidate.name === name) ?? { name };
    // With a mask, the lookup compares masked RIDs, so the entry must be written masked too.
    const ridBase = view.iommuMapMask === undefined ? rid : (rid & view.iommuMapMask) >>> 0;
    const entry = domid === undefined ? [] : [{ ridBase, phandle: GUEST_PHANDLE_IOMMU, domidBase: domid, length: iommuMapEntryLength(view.iommuMapLength) }];
    const iommuMap = [...(bridge.iommuMap ?? []), ...entry];
    const updatedBridge = { ...bridge, ...(iommuMap.length > 0 && { iommuMap }), ...(view.iommuMapMask !== undefined && { iommuMapMask: view.iommuMapMask }) };
    const bridges = [...tree.pciHostBridges.filter((candidate) => candidate.name !== name), updatedBridge];
    const updated = { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, pciHostBridges: bridges } } };
    return withDevice(updated, device.id, (target) => ({ ...target, hostBridgeDtNode: name, rootBusBridgeHasParent: true }));
  },
  read: readIommuMap,
};
