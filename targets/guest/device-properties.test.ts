import { describe, expect, it } from 'vitest';
import { qemuGate } from '../../test-support/machine-tools.ts';
import { parseDeviceProperties, qemuDeviceProperties } from './device-properties.ts';

const qemu = await qemuGate();

describe('QEMU device properties', () => {
  it('reads property names from -device TYPE,help output', () => {
    const help = 'virtio-net-pci options:\n  ioeventfd=<bool>       - on/off (default: true)\n  vectors=<uint32>       -  (default: 4294967295)\nnot a property\n';
    expect([...parseDeviceProperties(help)]).toEqual(['ioeventfd', 'vectors']);
  });

  it.skipIf(!qemu.runs)(qemu.title('asks the installed QEMU'), async () => {
    qemu.require();
    const binary = qemu.binary!;
    expect((await qemuDeviceProperties(binary, 'virtio-net-pci')).has('ioeventfd')).toBe(true);
    expect((await qemuDeviceProperties(binary, 'no-such-device-xvc')).size).toBe(0);
  });
});
