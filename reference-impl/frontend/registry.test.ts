import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { frontends } from './registry.ts';

const scenario: Scenario = {
  guest: { domid: 5, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices: [],
  channels: {},
};

describe('frontend registry', () => {
  it('names every built-in frontend by the name it reports', () => {
    expect(Object.keys(frontends)).toEqual(['reference', 'linux-6.2', 'linux-6.5', 'linux-2026', 'linux-7.2', 'trusts-vendor-data', 'trusts-device-register', 'trusts-new-capability']);
    for (const [name, frontend] of Object.entries(frontends)) expect(frontend.name).toBe(name);
  });

  it('gives frontends that answer a scenario without devices with no decisions', () => {
    for (const frontend of Object.values(frontends)) expect(frontend.decide(scenario)).toEqual([]);
  });

  it('has the trusting frontends read the backend-written mechanism each is named after', () => {
    expect(frontends['trusts-vendor-data'].mechanisms).toContain('vendor-data-capability');
    expect(frontends['trusts-device-register'].mechanisms).toContain('device-register');
    expect(frontends['trusts-new-capability'].mechanisms).toContain('virtio-capability');
    expect(Object.isFrozen(frontends)).toBe(true);
  });
});
