/** vendor-data-capability (proposed, backend-written): a cfg_type 9 capability of vendor 0x5853 with the domid. */
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { XEN_VNDR_DATA_FORMAT_BACKEND_DOMID, XEN_VNDR_DATA_VENDOR_ID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { decodeXenVndrDataBackendDomid, encodeXenVndrDataBackendDomid, XEN_VNDR_DATA_BACKEND_DOMID_SIZE } from '../../../generated/ts/proposals/xen-vndr-data-backend-domid.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';
import { readDomidCapability, withCapability } from './capability-reader.ts';

/** The capability bytes a device model writes for `domid`. */
export function vendorDataCapability(domid: number): Uint8Array {
  return encodeXenVndrDataBackendDomid({
    capVndr: PciCapId.VNDR,
    capNext: 0,
    capLen: XEN_VNDR_DATA_BACKEND_DOMID_SIZE,
    cfgType: VirtioPciCfgType.VENDOR_CFG,
    vendorId: XEN_VNDR_DATA_VENDOR_ID,
    format: XEN_VNDR_DATA_FORMAT_BACKEND_DOMID,
    valid: true,
    flagsReserved: 0,
    backendDomid: domid,
    padding: new Uint8Array(2),
  });
}

/** The mechanism. */
export const vendorDataCapabilityMechanism: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined || device.transport !== 'pci') return scenario;
    return withDevice(scenario, device.id, (target) => withCapability(target, vendorDataCapability(domid)));
  },
  read: (_scenario, device) =>
    readDomidCapability(
      device,
      (capability) => capability.virtio?.cfgType === VirtioPciCfgType.VENDOR_CFG && capability.virtio.vendorId === XEN_VNDR_DATA_VENDOR_ID,
      decodeXenVndrDataBackendDomid,
    ),
};
