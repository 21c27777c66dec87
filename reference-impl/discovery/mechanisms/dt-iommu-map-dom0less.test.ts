import { describe, expect, it } from 'vitest';
import { GUEST_PHANDLE_IOMMU } from '../../../generated/ts/xen/xen-toolstack.ts';
import { deviceOf, discoveryGuest, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { DOM0LESS_HOST_BRIDGE, DOM0LESS_MAP_LENGTH, dtIommuMapDom0less } from './dt-iommu-map-dom0less.ts';

describe('dt-iommu-map-dom0less', () => {
  it('writes one entry for every requester id with domid base 0, whatever backend runs the device', () => {
    expect(DOM0LESS_MAP_LENGTH).toBe(0x10000);
    const { scenario } = publishedScenario('dt-iommu-map-dom0less', discoveryGuest(3));
    expect(scenario.channels.deviceTree!.pciHostBridges).toEqual([{ name: DOM0LESS_HOST_BRIDGE, iommuMap: [{ ridBase: 0, phandle: GUEST_PHANDLE_IOMMU, domidBase: 0, length: 0x10000 }] }]);
    // By the binding's arithmetic the function's domid is its requester id, not its backend's.
    expect(dtIommuMapDom0less.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: netRequesterId });
  });

  it('writes the bridge without a map when the domain uses no grants, and lets a hostile writer choose the base', () => {
    const plain = publishedScenario('dt-iommu-map-dom0less', discoveryGuest(3, {}, false)).scenario;
    expect(plain.channels.deviceTree!.pciHostBridges).toEqual([{ name: DOM0LESS_HOST_BRIDGE }]);
    const hostile = publishedScenario('dt-iommu-map-dom0less', discoveryGuest(3), { kind: 'hostile', domid: 0x100 }).scenario;
    expect(dtIommuMapDom0less.read(hostile, deviceOf(hostile, 'net'))).toEqual({ kind: 'domid', domid: 0x100 + netRequesterId });
  });
});
