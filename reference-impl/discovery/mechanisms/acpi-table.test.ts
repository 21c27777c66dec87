import { describe, expect, it } from 'vitest';
import { deviceOf, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { acpiTable } from './acpi-table.ts';

describe('acpi-table', () => {
  it('lists the PCI function by segment and requester id, and nothing for an MMIO device', () => {
    const { scenario } = publishedScenario('acpi-table');
    expect(scenario.channels.acpi).toEqual({ backendDomids: [{ segment: 0, rid: netRequesterId, domid: 3 }] });
    expect(acpiTable.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(acpiTable.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
  });

  it('replaces the entry of a function published twice instead of listing it twice', () => {
    const { scenario, view } = publishedScenario('acpi-table');
    const again = acpiTable.publish(view, view.devices[0]!, scenario, { kind: 'hostile', domid: 9 });
    expect(again.channels.acpi!.backendDomids).toEqual([{ segment: 0, rid: netRequesterId, domid: 9 }]);
  });

  it('reads a table without the function as absent, and two different domids or one past 16 bits as malformed', () => {
    const { scenario } = publishedScenario('acpi-table');
    const net = deviceOf(scenario, 'net');
    const withEntries = (backendDomids: { segment: number; rid: number; domid: number }[]) => ({ ...scenario, channels: { ...scenario.channels, acpi: { backendDomids } } });
    expect(acpiTable.read(withEntries([{ segment: 1, rid: netRequesterId, domid: 3 }]), net)).toEqual({ kind: 'absent' });
    expect(acpiTable.read(withEntries([{ segment: 0, rid: netRequesterId, domid: 3 }, { segment: 0, rid: netRequesterId, domid: 4 }]), net)).toMatchObject({ kind: 'malformed' });
    expect(acpiTable.read(withEntries([{ segment: 0, rid: netRequesterId, domid: 0x10000 }]), net)).toEqual({ kind: 'malformed', reason: 'ACPI domid 0x10000 does not fit a 16-bit domid' });
    expect(acpiTable.read(withEntries([{ segment: 0, rid: netRequesterId, domid: 5 }, { segment: 0, rid: netRequesterId, domid: 5 }]), net)).toEqual({ kind: 'domid', domid: 5 });
  });
});
