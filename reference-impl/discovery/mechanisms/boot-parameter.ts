/**
 * boot-parameter (proposed): the guest administrator names the backend domid on the kernel command
 * line. The parameter name is xvc's choice; as with Linux parameters, the last occurrence wins, and
 * it applies to every device.
 */
import { XEN_BACKEND_DOMID_BOOT_PARAMETER } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { honestPublisher, parseDomidText, publishedDomid, type MechanismImplementation } from '../mechanism.ts';

/** Prefix of the parameter (spec/layouts/proposals/xen-domid-proposals.yaml). */
export const BACKEND_DOMID_PARAMETER = XEN_BACKEND_DOMID_BOOT_PARAMETER;

/** The mechanism. */
export const bootParameter: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const domid = publishedDomid(publisher, device);
    if (domid === undefined) return scenario;
    const others = scenario.guest.bootParameters.filter((parameter) => !parameter.startsWith(BACKEND_DOMID_PARAMETER));
    return { ...scenario, guest: { ...scenario.guest, bootParameters: [...others, `${BACKEND_DOMID_PARAMETER}${domid}`] } };
  },
  read(scenario) {
    const given = scenario.guest.bootParameters.filter((parameter) => parameter.startsWith(BACKEND_DOMID_PARAMETER));
    const last = given.at(-1);
    if (last === undefined) return { kind: 'absent' };
    const value = last.slice(BACKEND_DOMID_PARAMETER.length);
    const domid = parseDomidText(value);
    return domid === undefined ? { kind: 'malformed', reason: `'${last.slice(0, 64)}' does not name a domid` } : { kind: 'domid', domid };
  },
};
