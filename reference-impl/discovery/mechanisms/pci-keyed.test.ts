import { describe, expect, it } from 'vitest';
import { deviceOf, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { pciKey } from './pci-keyed.ts';

describe('PCI keys', () => {
  it('are the segment and requester id of a PCI function', () => {
    const { scenario, view } = publishedScenario('xenstore');
    expect(pciKey(deviceOf(scenario, 'net'))).toEqual({ segment: 0, rid: netRequesterId });
    expect(pciKey(view.devices[0]!)).toEqual({ segment: 0, rid: netRequesterId });
  });

  it('do not exist for MMIO devices, PCI devices without an address, or addresses out of range', () => {
    const { scenario } = publishedScenario('xenstore');
    const net = deviceOf(scenario, 'net');
    expect(pciKey(deviceOf(scenario, 'blk'))).toBeUndefined();
    const { bdf: _unused, ...noAddress } = net;
    expect(pciKey(noAddress)).toBeUndefined();
    expect(pciKey({ ...net, bdf: { segment: 0, bus: 0, device: 32, function: 0 } })).toBeUndefined();
  });
});
