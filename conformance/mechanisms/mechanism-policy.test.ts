import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { discoveryMechanism } from './matrix.ts';
import { decideWithMechanism, mechanismFrontend } from './mechanism-policy.ts';

const path = '/local/domain/5/device/virtio/vdev0/backend-domid';
// VERSION_1 (bit 32) and ACCESS_PLATFORM (bit 33).
function scenario(value: string | undefined, options: { features?: string; forceGrant?: boolean } = {}): Scenario {
  return {
    guest: { domid: 5, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: options.forceGrant ?? false }, bootParameters: [] },
    devices: [{ id: 'vdev0', transport: 'mmio', deviceFeatures: options.features ?? '0x300000000', backendControlled: ['deviceFeatures'] }],
    channels: value === undefined ? {} : { xenstore: { [path]: value } },
  };
}

describe('the reference policy reading one mechanism', () => {
  const xenstore = discoveryMechanism('xenstore')!;
  const decide = (value: string | undefined, options = {}) => {
    const built = scenario(value, options);
    return decideWithMechanism(xenstore, built, built.devices[0]!);
  };
  it('grants towards what the mechanism reads', () => {
    expect(decide('3')).toEqual({ deviceId: 'vdev0', outcome: 'grants', backendDomid: 3, mechanism: 'xenstore' });
  });
  it('no grants when the mechanism says nothing, refusal when grants are forced', () => {
    expect(decide(undefined).outcome).toBe('no-grants');
    expect(decide(undefined, { forceGrant: true }).outcome).toBe('refused');
  });
  it('refuses malformed values, reserved and own domids, and devices without ACCESS_PLATFORM', () => {
    expect(decide('3x').outcome).toBe('refused');
    expect(decide('32752').outcome).toBe('refused'); // 0x7FF0
    expect(decide('5').outcome).toBe('refused');
    expect(decide('3', { features: '0x100000000' }).outcome).toBe('refused');
  });
  it('maps through the shared grant mapper', () => {
    const built = scenario('3');
    const result = mechanismFrontend(xenstore).map(built, { deviceId: 'vdev0', buffers: [{ frame: 1, offset: 0, length: 1, direction: 'to-device', coherent: false }] });
    expect(result.outcome).toBe('mapped');
    expect(result.mappings[0]!.grants).toEqual([expect.objectContaining({ domid: 3, frame: 1, readonly: true })]);
  });
});
