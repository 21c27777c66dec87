import { describe, expect, it } from 'vitest';
import { DeviceModel, modernNetDescription, transitionalNetDescription, type VirtioDeviceDescription } from '../../reference-impl/virtio/index.ts';
import { FakePciMachine } from '../../test-support/qtest/fake-pci-machine.ts';
import { TargetError } from '../device-target.ts';
import { sizeAndProgramBars } from './bar-setup.ts';
import { QemuConfigAccess } from './config-access.ts';
import { PciCfgWindow } from './pci-cfg-window.ts';
import { QemuPciFunction } from './qemu-function.ts';

const at = { bus: 0, device: 3, function: 0 };
// virtio_pci_common_cfg (VS13 §4.1.4.3) and the legacy header (VS13 §4.1.4.10): test data from the spec.
const NUM_QUEUES = 0x12;
const QUEUE_SELECT = 0x16;
const QUEUE_SIZE = 0x18;
const LEGACY_QUEUE_SIZE = 0x0c;
const LEGACY_QUEUE_SELECT = 0x0e;

/** A function as createQemuTarget builds it: BARs sized and placed, decoding on (I/O and memory). */
async function qemuFunction(description: VirtioDeviceDescription, options: { window?: boolean; ecam?: boolean } = {}) {
  const model = new DeviceModel(description);
  const fake = new FakePciMachine([{ bdf: at, model }], options.ecam === true ? 0xb000_0000 : undefined);
  const config = new QemuConfigAccess(fake.client, at, fake.ecamBase);
  const bars = await sizeAndProgramBars(config, { next: 0xc000_0000, limit: 0xfebf_ffff }, { next: 0xc000, limit: 0xffff });
  await config.write(0x04, 2, 0x0003);
  const window = options.window === true ? await PciCfgWindow.find(config, 256) : undefined;
  const fn = new QemuPciFunction('0000:00:03.0', 'qemu:test', 256, fake.client, config, bars, window);
  fake.log.length = 0;
  return { model, fake, fn, bars };
}

describe('QemuPciFunction', () => {
  it('reads and writes a memory BAR with qtest memory cycles at the address xvc programmed', async () => {
    const { fake, fn, bars } = await qemuFunction(modernNetDescription());
    const base = bars[4]!.address;
    expect(await fn.readBar(4, NUM_QUEUES, 2)).toBe(3);
    expect(fake.log).toEqual([`readw 0x${(base + NUM_QUEUES).toString(16)}`]);
    // The value is cut to the access width: queue_select becomes 2 (the 64-entry queue).
    await fn.writeBar(4, QUEUE_SELECT, 2, 0x1_0002);
    expect(fake.log.at(-1)).toBe(`writew 0x${(base + QUEUE_SELECT).toString(16)} 0x2`);
    expect(await fn.readBar(4, QUEUE_SIZE, 2)).toBe(64);
  });

  it('reaches an I/O BAR with port cycles', async () => {
    const { fake, fn, bars } = await qemuFunction(transitionalNetDescription());
    const port = bars[0]!.address;
    await fn.writeBar(0, LEGACY_QUEUE_SELECT, 2, 2);
    expect(await fn.readBar(0, LEGACY_QUEUE_SIZE, 2)).toBe(64);
    expect(fake.log).toEqual([`outw 0x${(port + LEGACY_QUEUE_SELECT).toString(16)} 0x2`, `inw 0x${(port + LEGACY_QUEUE_SIZE).toString(16)}`]);
  });

  it('sends every BAR access through the PCI_CFG window when it has one, and none as a memory cycle', async () => {
    const { model, fake, fn } = await qemuFunction(modernNetDescription(), { window: true });
    model.window.log.length = 0;
    await fn.writeBar(4, QUEUE_SELECT, 2, 2);
    expect(await fn.readBar(4, QUEUE_SIZE, 2)).toBe(64);
    expect(model.window.log.map((access) => [access.kind, access.offset])).toEqual([
      ['write', QUEUE_SELECT],
      ['read', QUEUE_SIZE],
    ]);
    expect(fake.log.filter((line) => /^(read|write)[bwl] /.test(line))).toEqual([]);
  });

  it('refuses BARs that are not implemented or not placed, and accesses past a BAR', async () => {
    const { fn, bars } = await qemuFunction(modernNetDescription());
    // BAR0 is unimplemented, BAR5 is the upper half of the 64-bit BAR4, BAR4 is 16 KiB.
    await expect(fn.readBar(0, 0, 4)).rejects.toMatchObject({ diagnostic: 'targetInput', message: expect.stringContaining('BAR 0 is not an implemented') });
    await expect(fn.writeBar(5, 0, 4, 0)).rejects.toBeInstanceOf(TargetError);
    await expect(fn.readBar(4, bars[4]!.size - 2, 4)).rejects.toMatchObject({ diagnostic: 'targetInput', message: expect.stringContaining('outside BAR 4') });
    await expect(fn.readBar(4, -4, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    expect(await fn.barSizes()).toEqual(bars.map((bar) => bar.size));
  });

  it('keeps config accesses inside its own config size, whatever ECAM could reach', async () => {
    const { model, fn } = await qemuFunction(modernNetDescription(), { ecam: true });
    expect(await fn.readConfig(0, 2)).toBe(0x1af4);
    await expect(fn.readConfig(0x100, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await expect(fn.writeConfig(0xff, 2, 0)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await fn.writeConfig(0x3c, 1, 0x5a);
    expect(model.configRead(0x3c, 1)).toBe(0x5a);
    const snapshot = await fn.snapshot();
    expect(snapshot.length).toBe(256);
    expect(Array.from(snapshot.subarray(0, 4))).toEqual([0xf4, 0x1a, 0x41, 0x10]);
  });
});
