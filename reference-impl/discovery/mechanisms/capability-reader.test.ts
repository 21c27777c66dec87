import { describe, expect, it } from 'vitest';
import { decodeXenBackendDomidCap } from '../../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import type { ScenarioDevice } from '../../../generated/ts/schema/scenario.ts';
import { deviceOf, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { hexToBytes } from '../hex-bytes.ts';
import { readDomidCapability, withCapability } from './capability-reader.ts';
import { backendDomidCapability } from './virtio-capability.ts';

const isDomidCap = (capability: { virtio?: { cfgType: number } }) => capability.virtio?.cfgType === XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID;

describe('capability reader', () => {
  const { scenario } = publishedScenario('xenstore');
  const net = deviceOf(scenario, 'net');

  it('appends a capability to the list and reads its domid back through the walker', () => {
    const device = withCapability(net, backendDomidCapability(0x22));
    expect(device.configSpace).not.toBe(net.configSpace);
    expect(readDomidCapability(device, isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'domid', domid: 0x22 });
  });

  it('reads nothing from a device without the capability, without config space, or not on PCI', () => {
    expect(readDomidCapability(net, isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'absent' });
    const { configSpace: _unused, ...bare } = net;
    expect(readDomidCapability(bare as ScenarioDevice, isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'absent' });
    expect(readDomidCapability(deviceOf(scenario, 'blk'), isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'absent' });
  });

  it('reads a capability whose valid bit is clear as absent, and broken bytes as malformed', () => {
    const capability = backendDomidCapability(5);
    const invalid = withCapability(net, capability.map((byte, index) => (index === capability.length - 2 ? byte & 0xfe : byte)));
    expect(readDomidCapability(invalid, isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'absent' });
    const reservedSet = withCapability(net, capability.map((byte, index) => (index === capability.length - 1 ? 0x80 : byte)));
    expect(readDomidCapability(reservedSet, isDomidCap, decodeXenBackendDomidCap)).toMatchObject({ kind: 'malformed' });
    expect(readDomidCapability({ ...net, configSpace: 'not hex' }, isDomidCap, decodeXenBackendDomidCap)).toEqual({ kind: 'malformed', reason: 'config space is not hex bytes' });
  });

  it('leaves a device alone when its config space is missing, unreadable or full', () => {
    const { configSpace: _unused, ...bare } = net;
    expect(withCapability(bare as ScenarioDevice, backendDomidCapability(1))).toEqual(bare);
    expect(withCapability({ ...net, configSpace: 'zz' }, backendDomidCapability(1)).configSpace).toBe('zz');
    // Config space is 256 bytes: capabilities stop fitting long before 64 of them.
    let full = net;
    let appended = 0;
    for (; appended < 64; appended++) {
      const next = withCapability(full, backendDomidCapability(appended));
      if (next === full) break;
      full = next;
    }
    expect(appended).toBeGreaterThan(0);
    expect(appended).toBeLessThan(64);
    expect(hexToBytes(full.configSpace!)!.length).toBe(hexToBytes(net.configSpace!)!.length);
  });
});
