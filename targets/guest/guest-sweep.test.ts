import { describe, expect, it } from 'vitest';
import { parseGuestDeviceSpec } from './guest-spec.ts';
import { GUEST_SWEEP_DEVICES, guestSweepTargets } from './guest-sweep.ts';

describe('guest sweep', () => {
  const all = guestSweepTargets();

  it('covers every swept device in four placements, with unique ids and parseable specs', () => {
    for (const device of GUEST_SWEEP_DEVICES) {
      expect(all.filter((t) => t.device === device).map((t) => t.variant)).toEqual(expect.arrayContaining(['modern', 'transitional', 'pcie', 'iommu-platform']));
    }
    expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
    for (const target of all) expect(parseGuestDeviceSpec(target.spec), target.spec).not.toBeInstanceOf(Error);
  });

  it('includes the variants that change what a driver must do', () => {
    const specs = all.map((t) => t.spec);
    for (const wanted of ['packed=on', 'event_idx=off', 'num-queues=4', 'num_queues=4', 'iommu_platform=on', 'disable-modern=on', 'vectors=0', 'vectors=1', '@legacy', '@pcie']) {
      expect(specs.some((spec) => spec.includes(wanted)), wanted).toBe(true);
    }
  });

  it('leaves out variants whose QEMU type is not available', () => {
    const some = guestSweepTargets(new Set(['virtio-rng-pci']));
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((t) => t.device === 'virtio-rng-pci' && !t.spec.includes('-transitional'))).toBe(true);
  });
});
