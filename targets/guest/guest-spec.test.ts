import { describe, expect, it } from 'vitest';
import { TargetError } from '../device-target.ts';
import { formatGuestDeviceSpec, parseGuestDeviceSpec } from './guest-spec.ts';

describe('parseGuestDeviceSpec', () => {
  it('separates device properties from target options and reads the flags', () => {
    const spec = parseGuestDeviceSpec('guest:virtio-net-pci,disable-legacy=on,kernel=/k/vmlinuz,modules=/k/mods,append=quiet loglevel=7,timeout=30,packed=on@pcie@legacy');
    expect(spec).toEqual({
      spec: 'guest:virtio-net-pci,disable-legacy=on,kernel=/k/vmlinuz,modules=/k/mods,append=quiet loglevel=7,timeout=30,packed=on@pcie@legacy',
      device: 'virtio-net-pci',
      props: ['disable-legacy=on', 'packed=on'],
      placement: 'root-port',
      legacyDriver: true,
      kernel: '/k/vmlinuz',
      modules: '/k/mods',
      append: ['quiet', 'loglevel=7'],
      timeoutSeconds: 30,
    });
  });

  it('refuses what it cannot pass on safely, as targetInput errors', () => {
    for (const bad of ['guest:', 'guest:Bad Name', 'guest:virtio-rng-pci@halted', 'guest:virtio-rng-pci,addr=04.0', 'guest:virtio-rng-pci,timeout=0', 'guest:virtio-rng-pci,append=a"b', 'guest:virtio-rng-pci,kernel=', 'guest:virtio-rng-pci,kernel=/a,kernel=/b', 'guest:virtio-rng-pci,novalue']) {
      const parsed = parseGuestDeviceSpec(bad);
      expect(parsed, bad).toBeInstanceOf(TargetError);
      expect((parsed as TargetError).diagnostic).toBe('targetInput');
    }
  });

  it('formats a spec it can parse back', () => {
    const text = formatGuestDeviceSpec({ device: 'virtio-blk-pci-transitional', props: ['num-queues=4'], placement: 'root-bus', legacyDriver: true });
    expect(text).toBe('guest:virtio-blk-pci-transitional,num-queues=4@legacy');
    expect(parseGuestDeviceSpec(text)).toMatchObject({ device: 'virtio-blk-pci-transitional', props: ['num-queues=4'], legacyDriver: true, placement: 'root-bus' });
  });
});
