/**
 * root-complex-register (proposed): the host bridge emulated by Xen has a select register for a
 * requester id and a read-back register with the backend domid. A root complex emulated by anyone
 * other than this mechanism's writer is not this mechanism, so reads then give absent.
 */
import { decodeXenRcDomidRegs, encodeXenRcDomidRegs } from '../../../generated/ts/proposals/xen-rc-domid-regs.ts';
import { honestPublisher, publishedDomid, type MechanismImplementation } from '../mechanism.ts';
import { mechanismEntry } from '../mechanism-catalogue.ts';
import { pciKey } from './pci-keyed.ts';

const writer = () => mechanismEntry('root-complex-register').writer;

/** The mechanism. */
export const rootComplexRegister: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const key = pciKey(device);
    const domid = publishedDomid(publisher, device);
    if (!key || domid === undefined) return scenario;
    const emulatedBy = writer() === 'backend' ? 'backend' : 'hypervisor';
    const table = (scenario.channels.rootComplex?.table ?? []).filter((entry) => entry.segment !== key.segment || entry.rid !== key.rid);
    return { ...scenario, channels: { ...scenario.channels, rootComplex: { emulatedBy, table: [...table, { ...key, domid }] } } };
  },
  read(scenario, device) {
    const key = pciKey(device);
    const channel = scenario.channels.rootComplex;
    if (!key || !channel || channel.emulatedBy !== writer()) return { kind: 'absent' };
    const entry = channel.table.find((candidate) => candidate.segment === key.segment && candidate.rid === key.rid);
    // The guest writes the RID into the select register and reads the pair back as the emulator fills it.
    const registers = encodeXenRcDomidRegs({ requesterId: key.rid, selectReserved: 0, backendDomid: entry?.domid ?? 0, statusReserved: 0, valid: entry !== undefined });
    const decoded = decodeXenRcDomidRegs(registers);
    if (decoded.issues.length > 0) return { kind: 'malformed', reason: decoded.issues[0]!.message };
    return decoded.value.valid ? { kind: 'domid', domid: decoded.value.backendDomid } : { kind: 'absent' };
  },
};
