import { describe, expect, it } from 'vitest';
import { TargetError } from '../device-target.ts';
import { FORCE_LEGACY_ARGUMENT, GUEST_TRACE_EVENTS, guestQemuArguments } from './guest-command-line.ts';
import { parseGuestDeviceSpec, type GuestDeviceSpec } from './guest-spec.ts';

function args(spec: string): string[] {
  const parsed = parseGuestDeviceSpec(spec);
  if (parsed instanceof TargetError) throw parsed;
  return guestQemuArguments(parsed as GuestDeviceSpec, { kernel: '/k', initrd: '/i', traceFile: '/t', firmware: '/qboot.rom' });
}

function after(list: string[], flag: string): string[] {
  return list.flatMap((item, i) => (item === flag ? [list[i + 1]!] : []));
}

describe('guestQemuArguments', () => {
  it('boots q35 under TCG without reboot, the kernel and initramfs given, the trace to a file', () => {
    const list = args('guest:virtio-rng-pci,disable-legacy=on');
    expect(after(list, '-machine')).toEqual(['q35']);
    expect(after(list, '-accel')).toEqual(['tcg']);
    expect(list).toContain('-no-reboot');
    expect(after(list, '-kernel')).toEqual(['/k']);
    expect(after(list, '-initrd')).toEqual(['/i']);
    expect(after(list, '-bios')).toEqual(['/qboot.rom']);
    expect(after(list, '-trace')).toEqual([...GUEST_TRACE_EVENTS]);
    expect(after(list, '-D')).toEqual(['/t']);
    expect(after(list, '-append')[0]).toContain('panic=-1');
  });

  it('places the device, turns QEMU ioeventfd off (so notifications are traced) unless the user set it, and adds backends', () => {
    expect(after(args('guest:virtio-rng-pci'), '-device')).toEqual(['virtio-rng-pci,ioeventfd=off,addr=03.0']);
    expect(after(args('guest:virtio-rng-pci,ioeventfd=on'), '-device')).toEqual(['virtio-rng-pci,ioeventfd=on,addr=03.0']);
    const pcie = after(args('guest:virtio-blk-pci@pcie'), '-device');
    expect(pcie[0]).toMatch(/^pcie-root-port,id=(\w+),chassis=1,addr=04\.0$/);
    expect(pcie[1]).toMatch(/^virtio-blk-pci,ioeventfd=off,drive=\w+,bus=\w+,addr=00\.0$/);
    expect(args('guest:virtio-blk-pci')).toContain('-blockdev');
  });

  it('passes @legacy and append= to the kernel', () => {
    const append = after(args('guest:virtio-net-pci-transitional,append=loglevel=7@legacy'), '-append')[0]!;
    expect(append.split(' ')).toEqual(expect.arrayContaining([FORCE_LEGACY_ARGUMENT, 'loglevel=7']));
  });
});

describe('guestQemuArguments for a type without ioeventfd', () => {
  it('leaves the property out', () => {
    const parsed = parseGuestDeviceSpec('guest:virtio-balloon-pci') as GuestDeviceSpec;
    const list = guestQemuArguments(parsed, { kernel: '/k', initrd: '/i', traceFile: '/t', hasIoeventfd: false });
    expect(after(list, '-device')).toEqual(['virtio-balloon-pci,addr=03.0']);
    expect(list).not.toContain('-bios');
  });
});
