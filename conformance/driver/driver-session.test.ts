import { describe, expect, it } from 'vitest';
import { VirtioFeaturesBits } from '../../generated/ts/virtio/virtio-core.ts';
import { conformantLegacyTrace, conformantTrace, OFFERED_HIGH, OFFERED_LOW } from '../../test-support/driver-trace-builder.ts';
import { activeEpochs, driverSession, FeatureBit, negotiated } from './driver-session.ts';

describe('driverSession', () => {
  it('cuts the session at every reset and keeps what each initialisation offered, accepted and set up', () => {
    const session = driverSession(conformantTrace({ queues: 2 }));
    // The leading reset, the driver's removal (reset, ACKNOWLEDGE).
    expect(session.epochs.map((epoch) => epoch.resetAt)).toEqual([0, expect.any(Number)]);
    const [init, removal] = session.epochs;
    expect(init!.offered.get(0)?.value).toBe(OFFERED_LOW);
    expect(init!.offered.get(1)?.value).toBe(OFFERED_HIGH);
    expect([...init!.queues.keys()]).toEqual([0, 1]);
    expect(init!.notifications.map((n) => n.value)).toEqual([0, 1]);
    expect(init!.featuresOkAt).toBeLessThan(init!.driverOkAt!);
    expect(negotiated(init!, VirtioFeaturesBits.VERSION_1)).toBe(true);
    expect(negotiated(init!, FeatureBit.RING_PACKED)).toBe(false);
    expect(removal!.statusWrites.map((w) => w.access.value)).toEqual([0, 1]);
    expect(activeEpochs(session)).toHaveLength(2);
  });

  it('tags each register access with the queue selected and the feature window in force', () => {
    const session = driverSession(conformantTrace({ queues: 2 }));
    const desc = session.registers.filter((r) => r.register === 'queue_desc');
    expect(desc.map((r) => [r.queue, r.half])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(session.registers.filter((r) => r.register === 'device_feature').map((r) => r.window)).toEqual([0, 1]);
  });

  it('reads a legacy initialisation through the legacy header, one feature window', () => {
    const session = driverSession(conformantLegacyTrace());
    const [epoch] = session.epochs;
    expect(epoch!.iface).toBe('legacy');
    expect(epoch!.accepted.get(0)?.value).toBe(OFFERED_LOW);
    expect(epoch!.queues.get(0)?.accesses.map((r) => r.register)).toEqual(['queue_size', 'queue_address']);
    expect(epoch!.notifications).toHaveLength(1);
    expect(epoch!.featuresOkAt).toBeUndefined();
  });

  it('follows the MSI-X enable bit', () => {
    const trace = conformantTrace();
    const session = driverSession(trace);
    const enabledAt = trace.accesses.find((a) => a.structure === 'config' && a.op === 'write')!.index;
    expect(session.msixEnabledAt(enabledAt)).toBe(false);
    expect(session.msixEnabledAt(enabledAt + 1)).toBe(true);
  });
});
