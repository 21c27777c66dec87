import { describe, expect, it } from 'vitest';
import { DeviceModel, modernNetDescription } from '../../reference-impl/virtio/index.ts';
import { FakePciMachine } from '../../test-support/qtest/fake-pci-machine.ts';
import { QemuConfigAccess } from './config-access.ts';
import { PciCfgWindow } from './pci-cfg-window.ts';

const at = { bus: 0, device: 3, function: 0 };
// virtio_pci_common_cfg (VS13 §4.1.4.3): num_queues at 0x12, queue_select at 0x16, queue_size at 0x18.
const NUM_QUEUES = 0x12;
const QUEUE_SELECT = 0x16;
const QUEUE_SIZE = 0x18;

function setUp() {
  // Common configuration at offset 0 of BAR4; queues of 256, 256 and 64 entries.
  const model = new DeviceModel(modernNetDescription());
  const fake = new FakePciMachine([{ bdf: at, model }]);
  return { model, fake, config: new QemuConfigAccess(fake.client, at, undefined) };
}

describe('PciCfgWindow', () => {
  it('finds the PCI_CFG capability where the device placed it', async () => {
    const { model, config } = setUp();
    const window = await PciCfgWindow.find(config, 256);
    expect(window?.capabilityOffset).toBe(model.capabilities.find((capability) => capability.name === 'pci-cfg')!.offset);
  });

  it('is absent for a function without one (nothing answers at the address: all ones)', async () => {
    const empty = new FakePciMachine([]);
    expect(await PciCfgWindow.find(new QemuConfigAccess(empty.client, at, undefined), 256)).toBeUndefined();
  });

  it('reads a BAR through the window: bar, length and offset selected, then pci_cfg_data read', async () => {
    const { model, config } = setUp();
    const window = (await PciCfgWindow.find(config, 256))!;
    model.window.log.length = 0;
    expect(await window.read(4, NUM_QUEUES, 2)).toBe(3);
    expect(model.window.log).toEqual([{ kind: 'read', bar: 4, offset: NUM_QUEUES, length: 2, value: 3 }]);
  });

  it('writes a BAR through the window, and the device sees the write', async () => {
    const { model, config } = setUp();
    const window = (await PciCfgWindow.find(config, 256))!;
    // find() read the whole space, pci_cfg_data included (refused: no length selected yet).
    model.window.log.length = 0;
    await window.write(4, QUEUE_SELECT, 2, 2);
    expect(model.barRead(4, QUEUE_SELECT, 2)).toBe(2);
    expect(await window.read(4, QUEUE_SIZE, 2)).toBe(64);
    expect(model.window.log.map((access) => access.kind)).toEqual(['write', 'read']);
  });
});
