import { describe, expect, it } from 'vitest';
import { resolveQemuBinary } from '../qemu.ts';
import { parseDeviceProperties, qemuDeviceProperties } from './device-properties.ts';

describe('QEMU device properties', () => {
  it('reads property names from -device TYPE,help output', () => {
    const help = 'virtio-net-pci options:\n  ioeventfd=<bool>       - on/off (default: true)\n  vectors=<uint32>       -  (default: 4294967295)\nnot a property\n';
    expect([...parseDeviceProperties(help)]).toEqual(['ioeventfd', 'vectors']);
  });

  it('asks the installed QEMU, when there is one', async (context) => {
    const binary = await resolveQemuBinary().catch(() => undefined);
    if (!binary) return context.skip('no QEMU on this machine');
    expect((await qemuDeviceProperties(binary, 'virtio-net-pci')).has('ioeventfd')).toBe(true);
    expect((await qemuDeviceProperties(binary, 'no-such-device-xvc')).size).toBe(0);
  });
});
