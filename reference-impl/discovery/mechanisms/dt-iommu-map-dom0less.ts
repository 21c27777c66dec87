/**
 * dt-iommu-map-dom0less (2024 patch series, unmerged): Xen builds a dom0less guest's device tree and,
 * when the domain is configured for grants (`virtio-pci = "grants"`, one switch for the whole
 * domain), gives its single virtio-pci host bridge one iommu-map entry covering every requester id,
 * `<0x0 &xen_grant_dma 0x0 0x10000>`, without iommu-map-mask. Nothing in it depends on who runs each
 * device's backend, which is the defect the matrix shows: by the binding's arithmetic a function's
 * domid is its requester id. The guest reads it like any iommu-map.
 */
import { pciRequesterIdLayout } from '../../../generated/ts/pci/pci-requester-id.ts';
import { GUEST_PHANDLE_IOMMU } from '../../../generated/ts/xen/xen-toolstack.ts';
import { readIommuMap, treeWithGrantDmaNode } from '../device-tree.ts';
import { honestPublisher, withDevice, type MechanismImplementation } from '../mechanism.ts';

/** Name of the one host-bridge node Xen creates (the series names it after its ECAM base). */
export const DOM0LESS_HOST_BRIDGE = 'pcie-dom0less';

/** Requester ids the series' single entry covers: all of them, from the requester-id layout's width. */
export const DOM0LESS_MAP_LENGTH: number = 2 ** pciRequesterIdLayout.fields.reduce((bits, field) => bits + field.bits, 0);

/** The mechanism. */
export const dtIommuMapDom0less: MechanismImplementation = {
  modelled: true,
  publish(view, device, scenario, publisher = honestPublisher) {
    if (device.transport !== 'pci' || !device.bdf) return scenario;
    const domainUsesGrants = view.devices.some((candidate) => candidate.grantUsage);
    // An honest Xen writes out-base 0 for every function; a hostile writer picks the base it likes.
    const domidBase = publisher.kind === 'hostile' ? publisher.domid : domainUsesGrants ? 0 : undefined;
    const tree = domidBase === undefined ? (scenario.channels.deviceTree ?? { iommuNodes: [], mmioNodes: [], pciHostBridges: [] }) : treeWithGrantDmaNode(scenario);
    const bridge = {
      name: DOM0LESS_HOST_BRIDGE,
      ...(domidBase !== undefined && { iommuMap: [{ ridBase: 0, phandle: GUEST_PHANDLE_IOMMU, domidBase, length: DOM0LESS_MAP_LENGTH }] }),
    };
    const bridges = [...tree.pciHostBridges.filter((candidate) => candidate.name !== DOM0LESS_HOST_BRIDGE), bridge];
    const updated = { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, pciHostBridges: bridges } } };
    return withDevice(updated, device.id, (target) => ({ ...target, hostBridgeDtNode: DOM0LESS_HOST_BRIDGE, rootBusBridgeHasParent: true }));
  },
  read: readIommuMap,
};
