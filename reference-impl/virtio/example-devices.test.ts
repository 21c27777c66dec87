import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtioDeviceId } from '../../generated/ts/virtio/virtio-core.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { checkDescription, pciDeviceId } from './device-description.ts';
import { DeviceModel } from './device-model.ts';
import { arbitraryDescription, describeDevice, modernNetDescription, transitionalNetDescription } from './example-devices.ts';

describe('example devices', () => {
  it('a modern net function is a conformant description with the modern device ID', () => {
    const description = modernNetDescription();
    expect(checkDescription(description)).toEqual([]);
    expect(pciDeviceId(description)).toBe(0x1041);
    expect(description.deviceType).toBe(VirtioDeviceId.NET);
  });

  it('its transitional form has the transitional device ID, and overrides apply', () => {
    expect(pciDeviceId(transitionalNetDescription())).toBe(0x1000);
    expect(checkDescription(transitionalNetDescription())).toEqual([]);
    expect(modernNetDescription({ msixVectors: 2 }).msixVectors).toBe(2);
  });

  it('random descriptions are buildable and conformant, and name their device type', () => {
    fc.assert(
      fc.property(arbitraryDescription(), (description) => {
        expect(checkDescription(description)).toEqual([]);
        expect(() => new DeviceModel(description)).not.toThrow();
        expect(describeDevice(description).length).toBeGreaterThan(0);
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });
});
