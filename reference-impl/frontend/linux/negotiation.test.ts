import { describe, expect, it } from 'vitest';
import type { ScenarioDevice } from '../../../generated/ts/schema/scenario.ts';
import { bytesToHex } from '../../discovery/hex-bytes.ts';
import { featuresClearedByDriver, negotiatedFeatures, virtioDeviceTypeOf } from './negotiation.ts';

// PCI IDs from the virtio specification, written here by hand: modern IDs are 0x1040 + type,
// transitional ones 0x1000 (net) .. 0x103f; the balloon is type 5 (transitional 0x1002).
function pciFunction(deviceId: number, deviceFeatures = '0x300000000'): ScenarioDevice {
  const config = new Uint8Array(64);
  config[0] = 0xf4;
  config[1] = 0x1a;
  config[2] = deviceId & 0xff;
  config[3] = deviceId >> 8;
  return { id: 'd', transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: 0 }, deviceFeatures, configSpace: bytesToHex(config), backendControlled: [] };
}

describe('negotiation', () => {
  it('reads the virtio device type from a modern or a transitional PCI device ID', () => {
    expect(virtioDeviceTypeOf(pciFunction(0x1041))).toBe(1);
    expect(virtioDeviceTypeOf(pciFunction(0x1045))).toBe(5);
    expect(virtioDeviceTypeOf(pciFunction(0x1002))).toBe(5);
    expect(virtioDeviceTypeOf(pciFunction(0x1234))).toBeUndefined();
    expect(virtioDeviceTypeOf({ id: 'm', transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] })).toBeUndefined();
    expect(virtioDeviceTypeOf({ ...pciFunction(0x1041), configSpace: '0011' })).toBeUndefined();
  });

  it('has the balloon driver clear ACCESS_PLATFORM (bit 33) and every other driver keep what the device offers', () => {
    expect(featuresClearedByDriver(5)).toBe(1n << 33n);
    expect(featuresClearedByDriver(1)).toBe(0n);
    expect(negotiatedFeatures(pciFunction(0x1045))).toBe(1n << 32n);
    expect(negotiatedFeatures(pciFunction(0x1041))).toBe(3n << 32n);
    expect(negotiatedFeatures(pciFunction(0x1041, 'garbage'))).toBe(0n);
  });
});
