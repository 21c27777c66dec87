import { describe, expect, it } from 'vitest';
import { MAX_TRACE_LINE, parseTraceLine } from './qemu-trace-lines.ts';

describe('parseTraceLine', () => {
  it('reads the events the guest target traces, as QEMU 7.2 writes them', () => {
    expect(parseTraceLine('pci_cfg_read virtio-rng-pci 00:03.0 @0x98 -> 0x8411')).toEqual({ kind: 'pci-config', op: 'read', device: 'virtio-rng-pci', bus: 0, slot: 3, fn: 0, offset: 0x98, value: 0x8411 });
    expect(parseTraceLine('pci_cfg_write virtio-net-pci 01:00.0 @0x4 <- 0x6')).toMatchObject({ op: 'write', bus: 1, slot: 0, offset: 4, value: 6 });
    expect(parseTraceLine("memory_region_ops_write cpu 0 mr 0x55621eaadd70 addr 0x100000014 value 0xb size 1 name 'virtio-pci-common-virtio-rng'")).toEqual({
      kind: 'region',
      op: 'write',
      cpu: 0,
      address: 0x1_0000_0014,
      value: 0xb,
      size: 1,
      region: 'virtio-pci-common-virtio-rng',
    });
    expect(parseTraceLine("memory_region_ops_write cpu -1 mr 0x55f65b0611e0 addr 0xfee00000 value 0x0 size 4 name 'apic-msi'")).toMatchObject({ cpu: -1 });
    expect(parseTraceLine('virtio_set_status vdev 0x55621eab5600 val 11')).toEqual({ kind: 'set-status', value: 11 });
    expect(parseTraceLine('12345@1700000000.123456:virtio_set_status vdev 0x1 val 15')).toEqual({ kind: 'set-status', value: 15 });
  });

  it('ignores other events, cut lines, garbage and overlong lines', () => {
    expect(parseTraceLine('virtio_queue_notify vdev 0x1 n 0 vq 0x2')).toBeUndefined();
    expect(parseTraceLine('pci_cfg_read virtio-rng-pci 00:03.0 @0x98 ->')).toBeUndefined();
    expect(parseTraceLine("memory_region_ops_read cpu 0 mr 0x1 addr 0xzz value 0x0 size 1 name 'x'")).toBeUndefined();
    expect(parseTraceLine('\u0000\u0001 binary')).toBeUndefined();
    expect(parseTraceLine(`pci_cfg_read ${'a'.repeat(MAX_TRACE_LINE)} 00:03.0 @0x0 -> 0x0`)).toBeUndefined();
  });

  it('keeps the high bits of values past 2^53', () => {
    const event = parseTraceLine("memory_region_ops_read cpu 0 mr 0x1 addr 0xffffffffffff0000 value 0x1 size 8 name 'x'");
    expect(event).toMatchObject({ address: 0xffff_ffff_ffff_0000 });
  });
});
