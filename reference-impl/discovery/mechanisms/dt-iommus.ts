/** dt-iommus: the toolstack gives a virtio-mmio node `iommus = <&xen_grant_dma DOMID>` (libxl on Arm). */
import { GUEST_PHANDLE_IOMMU, GUEST_VIRTIO_MMIO_BASE, VIRTIO_MMIO_DEV_SIZE } from '../../../generated/ts/xen/xen-toolstack.ts';
import { readIommus, treeWithGrantDmaNode } from '../device-tree.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';

/** The mechanism. */
export const dtIommus: MechanismImplementation = {
  modelled: true,
  publish(view, device, scenario, publisher = honestPublisher) {
    if (device.transport !== 'mmio') return scenario;
    const index = view.devices.filter((candidate) => candidate.transport === 'mmio').findIndex((candidate) => candidate.id === device.id);
    const existing = scenario.devices.find((candidate) => candidate.id === device.id)?.dtNode;
    const name = existing ?? `virtio@${(GUEST_VIRTIO_MMIO_BASE + Math.max(index, 0) * VIRTIO_MMIO_DEV_SIZE).toString(16)}`;
    const domid = publishedDomid(publisher, device);
    // libxl creates the xen,grant-dma node only once some device uses grants.
    const tree = domid === undefined ? (scenario.channels.deviceTree ?? { iommuNodes: [], mmioNodes: [], pciHostBridges: [] }) : treeWithGrantDmaNode(scenario);
    const others = tree.mmioNodes.filter((node) => node.name !== name);
    const node = { name, ...(domid !== undefined && { iommus: [GUEST_PHANDLE_IOMMU, domid] }) };
    const updated = { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, mmioNodes: [...others, node] } } };
    return withDevice(updated, device.id, (target) => ({ ...target, dtNode: name }));
  },
  read: readIommus,
};
