/**
 * xenstore (rejected upstream): the toolstack writes the backend domid under the guest's own
 * directory. The path is xvc's choice, after J. Gross's 2023 per-BDF suggestion:
 * /local/domain/<guest>/device/virtio/<BDF or device id>/backend-domid.
 */
import type { ScenarioBdf } from '../../../generated/ts/schema/scenario.ts';
import { XEN_BACKEND_DOMID_XENSTORE_PATH } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { honestPublisher, parseDomidText, publishedDomid, type MechanismImplementation } from '../mechanism.ts';

function bdfText(bdf: ScenarioBdf): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
  return `${hex(bdf.segment, 4)}:${hex(bdf.bus, 2)}:${hex(bdf.device, 2)}.${bdf.function}`;
}

/** The xenstore path a guest reads for a device's backend domid. */
export function backendDomidPath(guestDomid: number, device: { id: string; transport: string; bdf?: ScenarioBdf }): string {
  const key = device.transport === 'pci' && device.bdf ? bdfText(device.bdf) : device.id;
  return XEN_BACKEND_DOMID_XENSTORE_PATH.replace('{guest}', String(guestDomid)).replace('{device}', key);
}

/** The mechanism. */
export const xenstore: MechanismImplementation = {
  modelled: true,
  publish(view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined) return scenario;
    const path = backendDomidPath(view.guest.domid, device);
    return { ...scenario, channels: { ...scenario.channels, xenstore: { ...scenario.channels.xenstore, [path]: String(domid) } } };
  },
  read(scenario, device) {
    const value = scenario.channels.xenstore?.[backendDomidPath(scenario.guest.domid, device)];
    if (value === undefined) return { kind: 'absent' };
    const domid = parseDomidText(value);
    return domid === undefined ? { kind: 'malformed', reason: `xenstore value '${value.slice(0, 32)}' is not a domid` } : { kind: 'domid', domid };
  },
};
