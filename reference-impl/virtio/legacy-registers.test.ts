import { describe, expect, it } from 'vitest';
import { DeviceModel } from './device-model.ts';
import { transitionalNetDescription } from './example-devices.ts';

// Legacy BAR0 offsets are test data from the digest (§1.12).
describe('LegacyRegisters', () => {
  it('moves device configuration from offset 20 to 24 while MSI-X is enabled', () => {
    const model = new DeviceModel(transitionalNetDescription());
    expect(model.barRead(0, 20, 1)).toBe(0x52);
    const msix = model.capabilities.find((cap) => cap.name === 'msix')!.offset;
    model.configWrite(msix + 2, 2, 0x8000 | model.configRead(msix + 2, 2));
    expect(model.msixEnabled()).toBe(true);
    expect(model.barRead(0, 24, 1)).toBe(0x52);
    model.barWrite(0, 14, 2, 1);
    model.barWrite(0, 22, 2, 1);
    expect(model.barRead(0, 22, 2)).toBe(1);
  });

  it('activates a queue by its page frame number and counts only bits 0..31 of driver features', () => {
    const model = new DeviceModel(transitionalNetDescription());
    model.barWrite(0, 14, 2, 1);
    model.barWrite(0, 8, 4, 0x1234);
    expect(model.state.queues[1]!.enabled).toBe(true);
    expect(model.state.queues[1]!.desc).toBe(0x1234n << 12n);
    expect(model.barRead(0, 12, 2)).toBe(256);
    model.barWrite(0, 4, 4, 0xffffffff);
    expect(model.state.driverFeatures).toBe(0xffffffffn);
    model.barWrite(0, 16, 2, 2);
    expect(model.notifications()).toEqual([{ queues: [2], value: 2 }]);
  });

  it('resets on a status write of 0', () => {
    const model = new DeviceModel(transitionalNetDescription());
    model.barWrite(0, 18, 1, 3);
    model.barWrite(0, 18, 1, 0);
    expect(model.barRead(0, 18, 1)).toBe(0);
  });
});
