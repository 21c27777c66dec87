import { describe, expect, it } from 'vitest';
import { decodeDriverTrace } from './trace-decoder.ts';

/** QEMU trace lines for one device, in the formats QEMU 7.2 writes (test data). */
class Lines {
  readonly lines: string[] = [];
  constructor(private readonly device = 'virtio-net-pci') {}

  /** A configuration read through 0xCF8/0xCFC: QEMU traces the PCI event, then the data-port access with its width. */
  configRead(offset: number, width: number, value: number): this {
    this.lines.push(`memory_region_ops_write cpu 0 mr 0x1 addr 0xcf8 value 0x${((0x8000_1800 | (offset & 0xfc)) >>> 0).toString(16)} size 4 name 'pci-conf-idx'`);
    this.lines.push(`pci_cfg_read ${this.device} 00:03.0 @0x${offset.toString(16)} -> 0x${value.toString(16)}`);
    this.lines.push(`memory_region_ops_read cpu 0 mr 0x2 addr 0x${(0xcfc + (offset & 3)).toString(16)} value 0x${value.toString(16)} size ${width} name 'pci-conf-data'`);
    return this;
  }

  /** A configuration write: the data-port access comes first, then the PCI event. */
  configWrite(offset: number, width: number, value: number): this {
    this.lines.push(`memory_region_ops_write cpu 0 mr 0x1 addr 0xcf8 value 0x${((0x8000_1800 | (offset & 0xfc)) >>> 0).toString(16)} size 4 name 'pci-conf-idx'`);
    this.lines.push(`memory_region_ops_write cpu 0 mr 0x2 addr 0x${(0xcfc + (offset & 3)).toString(16)} value 0x${value.toString(16)} size ${width} name 'pci-conf-data'`);
    this.lines.push(`pci_cfg_write ${this.device} 00:03.0 @0x${offset.toString(16)} <- 0x${value.toString(16)}`);
    return this;
  }

  region(op: 'read' | 'write', address: number, width: number, value: number, name: string, cpu = 0): this {
    this.lines.push(`memory_region_ops_${op} cpu ${cpu} mr 0x3 addr 0x${address.toString(16)} value 0x${value.toString(16)} size ${width} name '${name}'`);
    return this;
  }

  /** The kernel console printing `text` on the serial port, one byte per write. */
  console(text: string): this {
    for (const byte of new TextEncoder().encode(text)) this.region('write', 0x3f8, 1, byte, 'serial');
    return this;
  }
}

/** BAR4 (64-bit memory) of the device as the guest places it (test data). */
const BAR4 = 0xc000_4000;

/** A boot: enumeration with BAR sizing, the capabilities read, a marker, the driver's first accesses. */
function boot(): Lines {
  const l = new Lines();
  l.configRead(0x0, 4, 0x1041_1af4).configRead(0x8, 1, 0x1).configRead(0x6, 2, 0x10);
  // BAR4 sizing (64-bit, 16 KiB), then placement; BAR5 holds the upper half.
  l.configWrite(0x20, 4, 0xffff_ffff).configRead(0x20, 4, 0xffff_c00c).configWrite(0x24, 4, 0xffff_ffff).configRead(0x24, 4, 0xffff_ffff);
  l.configWrite(0x20, 4, (BAR4 | 0xc) >>> 0).configWrite(0x24, 4, 0);
  // Capability list: 0x34 -> 0x40 (COMMON_CFG, BAR4+0) -> 0x54 (NOTIFY_CFG, BAR4+0x3000, multiplier 4) -> end.
  l.configRead(0x34, 1, 0x40);
  l.configRead(0x40, 2, 0x5409).configRead(0x43, 1, 1).configRead(0x44, 1, 4).configRead(0x48, 4, 0).configRead(0x4c, 4, 0x1000);
  l.configRead(0x54, 2, 0x0009).configRead(0x57, 1, 2).configRead(0x58, 1, 4).configRead(0x5c, 4, 0x3000).configRead(0x60, 4, 0x1000).configRead(0x64, 4, 4);
  l.region('read', 0x61, 1, 0x20, 'pcspk');
  l.console('[    2.000000] xvc-guest: load\r\n');
  l.region('write', BAR4 + 0x14, 1, 0, 'virtio-pci-common-virtio-net');
  l.lines.push('virtio_set_status vdev 0x55621eab5600 val 0');
  l.region('read', BAR4 + 0x14, 1, 0, 'virtio-pci-common-virtio-net');
  l.region('write', BAR4 + 0x20, 4, 0x1000, 'virtio-pci-common-virtio-net');
  l.region('write', BAR4 + 0x3000 + 4, 2, 1, 'virtio-pci-notify-virtio-net');
  l.console('[    2.500000] xvc-guest: ready device=virtio0 status=0x0000000f\r\n');
  l.region('write', 0xd000_0000, 4, 1, 'virtio-pci-common-virtio-net');
  return l;
}

describe('decodeDriverTrace', () => {
  it('learns the device, its capabilities and BARs from the configuration accesses', async () => {
    const trace = await decodeDriverTrace(boot().lines, { qemuType: 'virtio-net-pci' });
    expect(trace.device).toMatchObject({ bdf: '00:03.0', vendorId: 0x1af4, deviceId: 0x1041, revisionId: 1, virtioDeviceId: 1, transitional: false });
    expect(trace.device.capabilities.map((c) => [c.capOffset, c.cfgType, c.bar, c.offset, c.length])).toEqual([
      [0x40, 1, 4, 0, 0x1000],
      [0x54, 2, 4, 0x3000, 0x1000],
    ]);
    expect(trace.device.capabilities[1]!.notifyOffMultiplier).toBe(4);
    expect(trace.device.bars).toEqual([{ index: 4, io: false, base: BAR4, size: 0x4000 }]);
  });

  it('gives configuration accesses the width of the port access QEMU traced with them, and names their fields', async () => {
    const trace = await decodeDriverTrace(boot().lines, { qemuType: 'virtio-net-pci' });
    const config = trace.accesses.filter((a) => a.structure === 'config');
    expect(config[0]).toMatchObject({ op: 'read', offset: 0, width: 4, value: 0x1041_1af4, field: 'vendor_id..device_id' });
    expect(config.find((a) => a.offset === 0x43)).toMatchObject({ width: 1, field: 'virtio_pci_cap[COMMON_CFG].cfg_type' });
    expect(config.find((a) => a.offset === 0x64)).toMatchObject({ width: 4, field: 'virtio_pci_notify_cap[NOTIFY_CFG].notify_off_multiplier' });
  });

  it('places BAR accesses in their structure by address, names common fields, and drops what lies in no BAR of the device', async () => {
    const trace = await decodeDriverTrace(boot().lines, { qemuType: 'virtio-net-pci' });
    const bar = trace.accesses.filter((a) => a.structure !== 'config');
    expect(bar.map((a) => [a.structure, a.offset, a.width, a.value, a.field])).toEqual([
      ['common', 0x14, 1, 0, 'device_status'],
      ['common', 0x14, 1, 0, 'device_status'],
      ['common', 0x20, 4, 0x1000, 'queue_desc[31:0]'],
      ['notify', 4, 2, 1, 'queue_notify'],
    ]);
    expect(trace.problems).toEqual([expect.stringContaining('lies in no BAR')]);
  });

  it('reads the guest markers back from the serial port, exactly between the accesses around them', async () => {
    const trace = await decodeDriverTrace(boot().lines, { qemuType: 'virtio-net-pci' });
    const firstStatus = trace.accesses.find((a) => a.field === 'device_status')!;
    expect(trace.markers.map((m) => [m.name, m.detail])).toEqual([
      ['load', ''],
      ['ready', 'device=virtio0 status=0x0000000f'],
    ]);
    expect(trace.markers[0]!.at).toBe(firstStatus.index);
    expect(firstStatus.phase).toBe('probe');
    expect(trace.accesses[0]!.phase).toBe('boot');
    expect(trace.deviceStatus).toEqual([{ at: firstStatus.index + 1, line: expect.any(Number), value: 0 }]);
  });

  it('ignores other devices and garbage, and stops at maxLines', async () => {
    const lines = ['garbage \u0000', 'pci_cfg_read ICH9-LPC 00:1f.0 @0x0 -> 0x29188086', ...boot().lines];
    const trace = await decodeDriverTrace(lines, { qemuType: 'virtio-net-pci' });
    expect(trace.accesses[0]!.value).toBe(0x1041_1af4);
    const cut = await decodeDriverTrace(lines, { qemuType: 'virtio-net-pci', maxLines: 10 });
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toBe(10);
  });
});
