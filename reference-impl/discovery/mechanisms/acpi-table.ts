/** acpi-table (proposed): a toolstack-built ACPI table lists the backend domid per requester id. */
import { DOMID_T_MAX } from '../../xen/domid.ts';
import { honestPublisher, publishedDomid, type MechanismImplementation } from '../mechanism.ts';
import { pciKey } from './pci-keyed.ts';

/** The mechanism. */
export const acpiTable: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const key = pciKey(device);
    const domid = publishedDomid(publisher, device);
    if (!key || domid === undefined) return scenario;
    const entries = (scenario.channels.acpi?.backendDomids ?? []).filter((entry) => entry.segment !== key.segment || entry.rid !== key.rid);
    return { ...scenario, channels: { ...scenario.channels, acpi: { backendDomids: [...entries, { ...key, domid }] } } };
  },
  read(scenario, device) {
    const key = pciKey(device);
    const table = scenario.channels.acpi;
    if (!key || !table) return { kind: 'absent' };
    const found = table.backendDomids.filter((entry) => entry.segment === key.segment && entry.rid === key.rid);
    if (found.length === 0) return { kind: 'absent' };
    if (new Set(found.map((entry) => entry.domid)).size > 1) return { kind: 'malformed', reason: 'ACPI table lists the function twice with different domids' };
    const domid = found[0]!.domid;
    if (domid > DOMID_T_MAX) return { kind: 'malformed', reason: `ACPI domid 0x${domid.toString(16)} does not fit a 16-bit domid` };
    return { kind: 'domid', domid };
  },
};
