import { describe, expect, it } from 'vitest';
import { GUEST_PHANDLE_IOMMU } from '../../../generated/ts/xen/xen-toolstack.ts';
import { buildScenario } from '../../xen/toolstack.ts';
import { deviceOf, discoveryGuest, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { dtIommuMap, hostBridgeName, iommuMapEntryLength } from './dt-iommu-map.ts';

describe('dt-iommu-map', () => {
  it('gives the host bridge of the backend domain one entry per function', () => {
    const { scenario } = publishedScenario('dt-iommu-map');
    const net = deviceOf(scenario, 'net');
    expect(net.hostBridgeDtNode).toBe(hostBridgeName(3));
    expect(scenario.channels.deviceTree!.pciHostBridges).toEqual([{ name: 'pcie-backend-3', iommuMap: [{ ridBase: netRequesterId, phandle: GUEST_PHANDLE_IOMMU, domidBase: 3, length: 1 }] }]);
    expect(dtIommuMap.read(scenario, net)).toEqual({ kind: 'domid', domid: 3 });
  });

  it('covers a whole slot with the RFC layout, and writes masked bases under a mask', () => {
    expect([iommuMapEntryLength('per-function'), iommuMapEntryLength('rfc-slot')]).toEqual([1, 8]);
    const built = buildScenario(discoveryGuest(), { publish: ['dt-iommu-map'], iommuMapLength: 'rfc-slot', iommuMapMask: 0xfff8 });
    if (!built.ok) throw new Error('the test guest must build');
    expect(built.scenario.channels.deviceTree!.pciHostBridges[0]).toEqual({
      name: 'pcie-backend-3',
      iommuMap: [{ ridBase: netRequesterId & 0xfff8, phandle: GUEST_PHANDLE_IOMMU, domidBase: 3, length: 8 }],
      iommuMapMask: 0xfff8,
    });
  });

  it('writes the bridge without a map for a function that uses no grants, and ignores MMIO devices', () => {
    const { scenario } = publishedScenario('dt-iommu-map', discoveryGuest(3, {}, false));
    expect(scenario.channels.deviceTree!.pciHostBridges).toEqual([{ name: 'pcie-backend-3' }]);
    expect(deviceOf(scenario, 'blk').hostBridgeDtNode).toBeUndefined();
  });
});
