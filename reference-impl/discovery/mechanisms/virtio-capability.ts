/** virtio-capability (proposed, backend-written): a virtio capability with a new cfg_type holding the domid. */
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { decodeXenBackendDomidCap, encodeXenBackendDomidCap, XEN_BACKEND_DOMID_CAP_SIZE } from '../../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';
import { readDomidCapability, withCapability } from './capability-reader.ts';

/** The capability bytes a device model writes for `domid`. */
export function backendDomidCapability(domid: number): Uint8Array {
  return encodeXenBackendDomidCap({
    capVndr: PciCapId.VNDR,
    capNext: 0,
    capLen: XEN_BACKEND_DOMID_CAP_SIZE,
    cfgType: XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID,
    bar: 0,
    id: 0,
    padding: new Uint8Array(2),
    offset: 0,
    length: 0,
    backendDomid: domid,
    valid: true,
    flagsReserved: 0,
  });
}

/** The mechanism. */
export const virtioCapability: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined || device.transport !== 'pci') return scenario;
    return withDevice(scenario, device.id, (target) => withCapability(target, backendDomidCapability(domid)));
  },
  read: (_scenario, device) =>
    readDomidCapability(device, (capability) => capability.virtio?.cfgType === XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID, decodeXenBackendDomidCap),
};
