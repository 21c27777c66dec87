import { describe, expect, it } from 'vitest';
import { decodeXenBackendDomidCap } from '../../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { deviceOf, discoveryGuest, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { backendDomidCapability, virtioCapability } from './virtio-capability.ts';

describe('virtio-capability', () => {
  it('is a virtio capability of the proposed cfg_type carrying the domid', () => {
    const decoded = decodeXenBackendDomidCap(backendDomidCapability(0x7fef));
    expect(decoded.issues).toEqual([]);
    expect(decoded.value).toMatchObject({ capVndr: 0x09, cfgType: XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID, backendDomid: 0x7fef, valid: true });
  });

  it('is read from the config space of a PCI device; MMIO devices and devices without grants have none', () => {
    const { scenario } = publishedScenario('virtio-capability');
    expect(virtioCapability.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(virtioCapability.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
    const none = publishedScenario('virtio-capability', discoveryGuest(3, {}, false)).scenario;
    expect(deviceOf(none, 'net').configSpace).toBe(deviceOf(publishedScenario('xenstore').scenario, 'net').configSpace);
  });
});
