/**
 * common-config-field (rejected, backend-written): the device model appends a
 * xen_common_cfg_backend_domid field to its common configuration structure. New fields could only
 * follow the queue fields, so xvc places it right after the virtio 1.3 structure.
 */
import { decodeXenCommonCfgBackendDomid, encodeXenCommonCfgBackendDomid, XEN_COMMON_CFG_BACKEND_DOMID_SIZE } from '../../../generated/ts/proposals/xen-common-cfg-backend-domid.ts';
import { VIRTIO_PCI_COMMON_CFG_SIZE } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';

/** The mechanism. */
export const commonConfigField: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined) return scenario;
    const field = encodeXenCommonCfgBackendDomid({ backendDomid: domid, valid: true, flagsReserved: 0 });
    return withDevice(scenario, device.id, (target) => {
      // The common configuration is a virtio-pci structure; virtio-mmio has no such thing.
      if (target.transport !== 'pci') return target;
      const current = hexToBytes(target.commonConfig ?? '') ?? new Uint8Array();
      const common = new Uint8Array(Math.max(current.length, VIRTIO_PCI_COMMON_CFG_SIZE + field.length));
      common.set(current.subarray(0, VIRTIO_PCI_COMMON_CFG_SIZE));
      common.set(field, VIRTIO_PCI_COMMON_CFG_SIZE);
      return { ...target, commonConfig: bytesToHex(common), backendControlled: [...new Set([...target.backendControlled, 'commonConfig' as const])] };
    });
  },
  read(_scenario, device) {
    const common = hexToBytes(device.commonConfig ?? '');
    if (!common) return { kind: 'malformed', reason: 'common configuration is not hex bytes' };
    if (common.length < VIRTIO_PCI_COMMON_CFG_SIZE + XEN_COMMON_CFG_BACKEND_DOMID_SIZE) return { kind: 'absent' };
    const decoded = decodeXenCommonCfgBackendDomid(common, VIRTIO_PCI_COMMON_CFG_SIZE);
    if (decoded.issues.length > 0) return { kind: 'malformed', reason: decoded.issues[0]!.message };
    return decoded.value.valid ? { kind: 'domid', domid: decoded.value.backendDomid } : { kind: 'absent' };
  },
};
