import { describe, expect, it } from 'vitest';
import { qemuArguments, ROOT_PORT_ID } from './command-line.ts';
import { parseQemuDeviceSpec, type QemuDeviceSpec } from './device-spec.ts';

function spec(text: string): QemuDeviceSpec {
  const parsed = parseQemuDeviceSpec(text);
  if (!('device' in parsed)) throw parsed;
  return parsed;
}

/** The value following `flag` each time it appears. */
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1]!] : []));
}

describe('qemuArguments', () => {
  it('starts q35 under TCG with nothing but the device, qtest on stdio and the CPU stopped', () => {
    const args = qemuArguments(spec('qemu:virtio-net-pci,disable-legacy=on'));
    expect(args.slice(0, 4)).toEqual(['-machine', 'q35', '-accel', 'tcg']);
    expect(args).toContain('-S');
    expect(args).toContain('-nodefaults');
    expect(args).toContain('-no-user-config');
    expect(valuesOf(args, '-qtest')).toEqual(['stdio']);
    expect(valuesOf(args, '-display')).toEqual(['none']);
    expect(args).not.toContain('-bios');
    expect(valuesOf(args, '-device')).toEqual(['virtio-net-pci,disable-legacy=on,addr=03.0']);
  });

  it('adds the backend a device type needs, with the device pointing at it', () => {
    const args = qemuArguments(spec('qemu:virtio-blk-pci'));
    expect(valuesOf(args, '-blockdev')).toEqual(['driver=null-co,node-name=xvcblk0,read-zeroes=on']);
    expect(valuesOf(args, '-device')).toEqual(['virtio-blk-pci,drive=xvcblk0,addr=03.0']);
  });

  it('puts the device behind a pcie-root-port at 00:04.0 for @pcie', () => {
    const args = qemuArguments(spec('qemu:virtio-net-pci@pcie'));
    expect(valuesOf(args, '-device')).toEqual([`pcie-root-port,id=${ROOT_PORT_ID},chassis=1,addr=04.0`, `virtio-net-pci,bus=${ROOT_PORT_ID},addr=00.0`]);
  });

  it('runs the HLT firmware instead of stopping the CPU for @halted, and needs its path', () => {
    const halted = spec('qemu:virtio-net-pci@halted');
    expect(() => qemuArguments(halted)).toThrow(/HLT BIOS/);
    const args = qemuArguments(halted, '/tmp/hlt.bin');
    expect(valuesOf(args, '-bios')).toEqual(['/tmp/hlt.bin']);
    expect(args).not.toContain('-S');
  });

  it('asks QEMU to exit with its parent only when told the binary has the option', () => {
    expect(valuesOf(qemuArguments(spec('qemu:virtio-net-pci'), undefined, { exitWithParent: true }), '-run-with')).toEqual(['exit-with-parent=on']);
    expect(qemuArguments(spec('qemu:virtio-net-pci'))).not.toContain('-run-with');
  });
});
