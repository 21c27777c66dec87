import { describe, expect, it } from 'vitest';
import { GUEST_PHANDLE_IOMMU, GUEST_VIRTIO_MMIO_BASE } from '../../../generated/ts/xen/xen-toolstack.ts';
import { deviceOf, discoveryGuest, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { dtIommus } from './dt-iommus.ts';

describe('dt-iommus', () => {
  it('gives each virtio-mmio node iommus = <&xen_grant_dma DOMID>, named after its MMIO base', () => {
    const { scenario } = publishedScenario('dt-iommus');
    const blk = deviceOf(scenario, 'blk');
    expect(blk.dtNode).toBe(`virtio@${GUEST_VIRTIO_MMIO_BASE.toString(16)}`);
    expect(scenario.channels.deviceTree!.mmioNodes).toEqual([{ name: blk.dtNode, iommus: [GUEST_PHANDLE_IOMMU, 3] }]);
    expect(scenario.channels.deviceTree!.iommuNodes.map((node) => node.phandle)).toEqual([GUEST_PHANDLE_IOMMU]);
    expect(dtIommus.read(scenario, blk)).toEqual({ kind: 'domid', domid: 3 });
    expect(dtIommus.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'absent' });
  });

  it('writes a node without iommus, and no grant-dma node, for a device that uses no grants', () => {
    const { scenario } = publishedScenario('dt-iommus', discoveryGuest(3, {}, false));
    expect(scenario.channels.deviceTree!.mmioNodes).toEqual([{ name: deviceOf(scenario, 'blk').dtNode }]);
    expect(scenario.channels.deviceTree!.iommuNodes).toEqual([]);
  });
});
