import { describe, expect, it } from 'vitest';
import { commonConfigFields, commonConfigLength, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
import { DeviceModel } from './device-model.ts';
import { modernNetDescription } from './example-devices.ts';

describe('common configuration structure by spec version', () => {
  it('is 56 bytes in 1.0/1.1, 60 in 1.2 and 64 in 1.3 (digest §1.5)', () => {
    expect(commonConfigLength('1.0')).toBe(56);
    expect(commonConfigLength('1.1')).toBe(56);
    expect(commonConfigLength('1.2')).toBe(60);
    expect(commonConfigLength('1.3')).toBe(64);
    expect(LATEST_COMMON_CONFIG_VERSION).toBe('1.3');
    expect(commonConfigFields('1.0').map((field) => field.specName)).not.toContain('queue_reset');
  });

  it('advertises the version length in its capability, and reads 0 past it', () => {
    const model = new DeviceModel(modernNetDescription({ commonConfigVersion: '1.0' }));
    const cap = model.capabilities.find((c) => c.name === 'common')!;
    expect(cap.range!.length).toBe(56n);
    expect(model.barRead(4, 58, 2)).toBe(0);
    model.barWrite(4, 58, 2, 1);
    expect(model.barRead(4, 58, 2)).toBe(0);
  });

  it('allows independent access to both halves of a 64-bit field (PCI-DEV-08)', () => {
    const model = new DeviceModel(modernNetDescription());
    model.barWrite(4, 22, 2, 1);
    model.barWrite(4, 36, 4, 0x12345678);
    model.barWrite(4, 32, 4, 0x9abcdef0);
    expect(model.state.queues[1]!.desc).toBe(0x12345678_9abcdef0n);
    expect(model.barRead(4, 36, 4)).toBe(0x12345678);
  });
});
