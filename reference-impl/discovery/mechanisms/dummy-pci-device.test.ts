import { describe, expect, it } from 'vitest';
import { deviceOf, discoveryGuest, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { bytesToHex } from '../hex-bytes.ts';
import { dummyPciDevice } from './dummy-pci-device.ts';

describe('dummy-pci-device', () => {
  it('serves a table mapping the function requester id to its domid from the last slot of bus 0, emulated by Xen', () => {
    const { scenario } = publishedScenario('dummy-pci-device');
    const channel = scenario.channels.dummyDevice!;
    expect(channel.emulatedBy).toBe('hypervisor');
    expect(channel.bdf).toEqual({ segment: 0, bus: 0, device: 31, function: 0 });
    expect(dummyPciDevice.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(dummyPciDevice.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
  });

  it('keeps one entry per function when it publishes again', () => {
    const { scenario, view } = publishedScenario('dummy-pci-device');
    const again = dummyPciDevice.publish(view, view.devices[0]!, scenario, { kind: 'hostile', domid: 9 });
    expect(dummyPciDevice.read(again, deviceOf(again, 'net'))).toEqual({ kind: 'domid', domid: 9 });
    expect(again.channels.dummyDevice!.table.length).toBe(scenario.channels.dummyDevice!.table.length);
  });

  it('reads a function emulated by the wrong party or on another segment as absent, a broken table as malformed', () => {
    const { scenario } = publishedScenario('dummy-pci-device');
    const net = deviceOf(scenario, 'net');
    const channel = scenario.channels.dummyDevice!;
    const withChannel = (change: Partial<typeof channel>) => ({ ...scenario, channels: { ...scenario.channels, dummyDevice: { ...channel, ...change } } });
    expect(dummyPciDevice.read(withChannel({ emulatedBy: 'backend' }), net)).toEqual({ kind: 'absent' });
    expect(dummyPciDevice.read(withChannel({ bdf: { ...channel.bdf, segment: 1 } }), net)).toEqual({ kind: 'absent' });
    expect(dummyPciDevice.read(withChannel({ table: 'zz' }), net)).toEqual({ kind: 'malformed', reason: 'domid table is not hex bytes' });
    // entry_count 2, version as published, then a single 4-byte entry: the count does not match.
    const table = channel.table;
    expect(dummyPciDevice.read(withChannel({ table: `02${table.slice(2)}` }), net)).toMatchObject({ kind: 'malformed' });
    const twice = `02${table.slice(2, 8)}${table.slice(8)}${bytesToHex(new Uint8Array([netRequesterId, 0, 4, 0]))}`;
    expect(dummyPciDevice.read(withChannel({ table: twice }), net)).toEqual({ kind: 'malformed', reason: 'domid table lists the function twice with different domids' });
  });

  it('publishes nothing for a device that uses no grants', () => {
    expect(publishedScenario('dummy-pci-device', discoveryGuest(3, {}, false)).scenario.channels.dummyDevice).toBeUndefined();
  });
});
