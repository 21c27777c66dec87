/**
 * dummy-pci-device (proposed): a platform PCI function exposes a xen_domid_table mapping requester
 * ids to backend domids. A dummy function emulated by anyone but this mechanism's writer is not this
 * mechanism, so reads then give absent.
 */
import { decodeXenDomidTable, encodeXenDomidTable } from '../../../generated/ts/proposals/xen-domid-table.ts';
import { decodeXenDomidTableEntry, encodeXenDomidTableEntry, XEN_DOMID_TABLE_ENTRY_SIZE } from '../../../generated/ts/proposals/xen-domid-table-entry.ts';
import { XEN_DOMID_TABLE_VERSION } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { bdfLimits } from '../../pci/address-codecs.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { honestPublisher, publishedDomid, type DiscoveryReading, type MechanismImplementation } from '../mechanism.ts';
import { mechanismEntry } from '../mechanism-catalogue.ts';
import { pciKey } from './pci-keyed.ts';

const writer = () => mechanismEntry('dummy-pci-device').writer;

/** Entries of a table, or why the bytes are not one. */
function tableEntries(bytes: Uint8Array): { requesterId: number; backendDomid: number }[] | { reason: string } {
  const table = decodeXenDomidTable(bytes);
  if (table.issues.length > 0) return { reason: table.issues[0]!.message };
  const { entryCount, entries } = table.value;
  if (entries.length !== entryCount * XEN_DOMID_TABLE_ENTRY_SIZE) return { reason: `entry_count ${entryCount} does not match ${entries.length} entry bytes` };
  const found: { requesterId: number; backendDomid: number }[] = [];
  for (let index = 0; index < entryCount; index++) found.push(decodeXenDomidTableEntry(entries, index * XEN_DOMID_TABLE_ENTRY_SIZE).value);
  return found;
}

/** The mechanism. */
export const dummyPciDevice: MechanismImplementation = {
  modelled: true,
  publish(_view, device, scenario, publisher = honestPublisher) {
    const key = pciKey(device);
    const domid = publishedDomid(publisher, device);
    if (!key || domid === undefined) return scenario;
    const current = scenario.channels.dummyDevice;
    const parsed = current ? tableEntries(hexToBytes(current.table) ?? new Uint8Array()) : [];
    const kept = Array.isArray(parsed) ? parsed.filter((entry) => entry.requesterId !== key.rid) : [];
    const records = [...kept, { requesterId: key.rid, backendDomid: domid }];
    const entries = new Uint8Array(records.length * XEN_DOMID_TABLE_ENTRY_SIZE);
    records.forEach((record, index) => encodeXenDomidTableEntry(record, entries, index * XEN_DOMID_TABLE_ENTRY_SIZE));
    const table = encodeXenDomidTable({ entryCount: records.length, version: XEN_DOMID_TABLE_VERSION, reserved: 0, entries });
    const emulatedBy = writer() === 'backend' ? 'backend' : 'hypervisor';
    // The dummy function sits in the last slot of bus 0, where the toolstack places no virtio device.
    const bdf = current?.bdf ?? { segment: 0, bus: 0, device: bdfLimits.device, function: 0 };
    return { ...scenario, channels: { ...scenario.channels, dummyDevice: { emulatedBy, bdf, table: bytesToHex(table) } } };
  },
  read(scenario, device): DiscoveryReading {
    const key = pciKey(device);
    const channel = scenario.channels.dummyDevice;
    if (!key || !channel || channel.emulatedBy !== writer() || channel.bdf.segment !== key.segment) return { kind: 'absent' };
    const bytes = hexToBytes(channel.table);
    if (!bytes) return { kind: 'malformed', reason: 'domid table is not hex bytes' };
    const entries = tableEntries(bytes);
    if (!Array.isArray(entries)) return { kind: 'malformed', reason: entries.reason };
    const found = entries.filter((entry) => entry.requesterId === key.rid);
    if (found.length === 0) return { kind: 'absent' };
    if (new Set(found.map((entry) => entry.backendDomid)).size > 1) return { kind: 'malformed', reason: 'domid table lists the function twice with different domids' };
    return { kind: 'domid', domid: found[0]!.backendDomid };
  },
};
