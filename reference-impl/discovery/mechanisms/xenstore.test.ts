import { describe, expect, it } from 'vitest';
import { deviceOf, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { backendDomidPath, xenstore } from './xenstore.ts';

describe('xenstore', () => {
  it('keys PCI devices by their address and others by their id, under the guest directory', () => {
    expect(backendDomidPath(7, { id: 'net', transport: 'pci', bdf: { segment: 0, bus: 0x1a, device: 2, function: 1 } })).toBe('/local/domain/7/device/virtio/0000:1a:02.1/backend-domid');
    expect(backendDomidPath(7, { id: 'blk', transport: 'mmio' })).toBe('/local/domain/7/device/virtio/blk/backend-domid');
  });

  it('writes the domid in decimal where the guest reads it', () => {
    const { scenario } = publishedScenario('xenstore');
    expect(scenario.channels.xenstore).toEqual({ '/local/domain/7/device/virtio/0000:00:02.0/backend-domid': '3', '/local/domain/7/device/virtio/blk/backend-domid': '3' });
    expect(xenstore.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'domid', domid: 3 });
  });

  it('reads a missing key as absent and a value that is no domid as malformed', () => {
    const { scenario } = publishedScenario('xenstore');
    const net = deviceOf(scenario, 'net');
    expect(xenstore.read({ ...scenario, channels: { ...scenario.channels, xenstore: {} } }, net)).toEqual({ kind: 'absent' });
    const bad = { ...scenario, channels: { ...scenario.channels, xenstore: { [backendDomidPath(7, net)]: '0x3' } } };
    expect(xenstore.read(bad, net)).toEqual({ kind: 'malformed', reason: "xenstore value '0x3' is not a domid" });
  });
});
