import { describe, expect, it } from 'vitest';
import { deviceOf, discoveryGuest, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { deviceRegister } from './device-register.ts';

describe('device-register', () => {
  it('appends the register to the end of the device-specific configuration of every transport', () => {
    const guest = discoveryGuest();
    guest.virtio[0]!.deviceConfig = new Uint8Array([0xaa, 0xbb]);
    const { scenario } = publishedScenario('device-register', guest);
    expect(deviceOf(scenario, 'net').deviceConfig).toBe('aabb03000100');
    expect(deviceRegister.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(deviceRegister.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'domid', domid: 3 });
  });

  it('reads a configuration too short as absent, a clear valid bit as absent, set reserved bits as malformed', () => {
    const { scenario } = publishedScenario('device-register');
    const net = deviceOf(scenario, 'net');
    expect(deviceRegister.read(scenario, { ...net, deviceConfig: 'aa' })).toEqual({ kind: 'absent' });
    expect(deviceRegister.read(scenario, { ...net, deviceConfig: '03000000' })).toEqual({ kind: 'absent' });
    expect(deviceRegister.read(scenario, { ...net, deviceConfig: bytesToHex(new Uint8Array([3, 0, 3, 0])) })).toMatchObject({ kind: 'malformed' });
    expect(deviceRegister.read(scenario, { ...net, deviceConfig: 'q' })).toEqual({ kind: 'malformed', reason: 'device config is not hex bytes' });
    expect(hexToBytes(net.deviceConfig!)!.length).toBe(4);
  });
});
