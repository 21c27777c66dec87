import { describe, expect, it } from 'vitest';
import { TargetError } from './device-target.ts';
import { GUEST_SWEEP_DEVICES, listGuestSweepTargets, runGuestTarget } from './guest.ts';
import { qemuGate } from '../test-support/machine-tools.ts';

const qemu = await qemuGate();

describe('guest target entry', () => {
  it('refuses a bad spec before starting anything', async () => {
    await expect(runGuestTarget('guest:virtio-rng-pci@bogus')).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await expect(runGuestTarget('guest:virtio-rng-pci,addr=01.0')).rejects.toBeInstanceOf(TargetError);
  });

  it.skipIf(!qemu.runs)(qemu.title('lists the sweep for the installed QEMU: every swept device type it has'), async () => {
    qemu.require();
    const sweep = await listGuestSweepTargets();
    for (const device of GUEST_SWEEP_DEVICES) expect(sweep.some((target) => target.id === `${device}/modern`), device).toBe(true);
    expect(sweep.some((target) => target.spec === 'guest:virtio-net-pci-transitional@legacy')).toBe(true);
  });
});
