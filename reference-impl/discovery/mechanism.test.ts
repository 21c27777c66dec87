import { describe, expect, it } from 'vitest';
import { deviceOf, publishedScenario } from '../../test-support/discovery-scenarios.ts';
import { honestPublisher, hostilePublisher, parseDomidText, publishedDomid, withDevice } from './mechanism.ts';

const device = (grantUsage: boolean) => ({ id: 'net', transport: 'pci' as const, backendDomid: 3, grantUsage, type: 'virtio,device1' });

describe('publishers', () => {
  it('an honest one writes the assigned backend domid, and nothing for a device without grants', () => {
    expect(publishedDomid(honestPublisher, device(true))).toBe(3);
    expect(publishedDomid(honestPublisher, device(false))).toBeUndefined();
  });

  it('a hostile one writes its own domid for every device', () => {
    expect(publishedDomid(hostilePublisher(0x1234), device(true))).toBe(0x1234);
    expect(publishedDomid(hostilePublisher(0), device(false))).toBe(0);
  });
});

describe('scenario edits', () => {
  it('replace one device in a copy, leaving the input as it was', () => {
    const { scenario } = publishedScenario('xenstore');
    const changed = withDevice(scenario, 'net', (target) => ({ ...target, deviceFeatures: '0x0' }));
    expect(deviceOf(changed, 'net').deviceFeatures).toBe('0x0');
    expect(deviceOf(scenario, 'net').deviceFeatures).not.toBe('0x0');
    expect(deviceOf(changed, 'blk')).toBe(deviceOf(scenario, 'blk'));
  });
});

describe('domids in text channels', () => {
  it('are plain decimal numbers of at most ten digits', () => {
    expect([parseDomidText('0'), parseDomidText('3'), parseDomidText('32752'), parseDomidText('4294967295')]).toEqual([0, 3, 32752, 4294967295]);
  });

  it('refuse signs, leading zeros, hex, spaces and empty text', () => {
    expect(['-1', '+3', '03', '0x10', ' 3', '3 ', '', '12345678901'].map(parseDomidText)).toEqual(new Array(8).fill(undefined));
  });
});
