/**
 * device-register (proposed, backend-written): the device model appends a xen_backend_domid_dev_cfg
 * register to its device-specific configuration. xvc places it in the last bytes of the structure,
 * since no device type defines an offset for it.
 */
import { decodeXenBackendDomidDevCfg, encodeXenBackendDomidDevCfg, XEN_BACKEND_DOMID_DEV_CFG_SIZE } from '../../../generated/ts/proposals/xen-backend-domid-dev-cfg.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { honestPublisher, publishedDomid, withDevice, type MechanismImplementation } from '../mechanism.ts';

/** The mechanism. */
export const deviceRegister: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined) return scenario;
    const register = encodeXenBackendDomidDevCfg({ backendDomid: domid, valid: true, flagsReserved: 0 });
    return withDevice(scenario, device.id, (target) => {
      const current = hexToBytes(target.deviceConfig ?? '') ?? new Uint8Array();
      const config = new Uint8Array(current.length + register.length);
      config.set(current);
      config.set(register, current.length);
      return { ...target, deviceConfig: bytesToHex(config) };
    });
  },
  read(_scenario, device) {
    const config = hexToBytes(device.deviceConfig ?? '');
    if (!config) return { kind: 'malformed', reason: 'device config is not hex bytes' };
    if (config.length < XEN_BACKEND_DOMID_DEV_CFG_SIZE) return { kind: 'absent' };
    const decoded = decodeXenBackendDomidDevCfg(config, config.length - XEN_BACKEND_DOMID_DEV_CFG_SIZE);
    if (decoded.issues.length > 0) return { kind: 'malformed', reason: decoded.issues[0]!.message };
    return decoded.value.valid ? { kind: 'domid', domid: decoded.value.backendDomid } : { kind: 'absent' };
  },
};
