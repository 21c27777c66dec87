import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { checkDescription, type VirtioDeviceDescription } from './device-description.ts';
import { DeviceModel, DeviceModelError } from './device-model.ts';
import { arbitraryDescription, modernNetDescription, transitionalNetDescription } from './example-devices.ts';
import type { AccessWidth } from '../pci/le-bytes.ts';

// Register offsets and values below are test data taken from the digest (§1.5, §2.1, §2.2), written
// out so the test does not depend on the metadata it checks.
const COMMON = {
  deviceFeatureSelect: [0, 4],
  deviceFeature: [4, 4],
  driverFeatureSelect: [8, 4],
  driverFeature: [12, 4],
  configMsixVector: [16, 2],
  numQueues: [18, 2],
  deviceStatus: [20, 1],
  configGeneration: [21, 1],
  queueSelect: [22, 2],
  queueSize: [24, 2],
  queueMsixVector: [26, 2],
  queueEnable: [28, 2],
  queueNotifyOff: [30, 2],
  queueDescLo: [32, 4],
} as const satisfies Record<string, readonly [number, AccessWidth]>;
const ACK = 1;
const DRIVER = 2;
const FEATURES_OK = 8;
const VERSION_1 = 1n << 32n;
const NO_VECTOR = 0xffff;

function common(model: DeviceModel) {
  const p = model.description.placement;
  return {
    read: (name: keyof typeof COMMON): number => model.barRead(p.bar, p.common + COMMON[name][0], COMMON[name][1]),
    write: (name: keyof typeof COMMON, value: number): void => model.barWrite(p.bar, p.common + COMMON[name][0], COMMON[name][1], value),
  };
}

function writeDriverFeatures(model: DeviceModel, features: bigint): void {
  const c = common(model);
  for (let select = 0; select < 2; select++) {
    c.write('driverFeatureSelect', select);
    c.write('driverFeature', Number((features >> BigInt(32 * select)) & 0xffffffffn));
  }
}

describe('DeviceModel: reset', () => {
  it('clears status, queue_enable and vector mappings after any prior activity', () => {
    fc.assert(
      fc.property(
        arbitraryDescription(),
        fc.array(fc.record({ field: fc.constantFrom<keyof typeof COMMON>('deviceStatus', 'queueSelect', 'queueEnable', 'queueMsixVector', 'configMsixVector', 'queueSize'), value: fc.integer({ min: 0, max: 0xffff }) }), { maxLength: 30 }),
        (description, writes) => {
          const model = new DeviceModel(description);
          const c = common(model);
          for (const { field, value } of writes) c.write(field, field === 'deviceStatus' ? value & 0xff : value);
          c.write('deviceStatus', 0);
          expect(c.read('deviceStatus')).toBe(0);
          expect(c.read('configMsixVector')).toBe(NO_VECTOR);
          for (let queue = 0; queue < description.queues.length; queue++) {
            c.write('queueSelect', queue);
            expect(c.read('queueEnable')).toBe(0);
            if (c.read('queueSize') !== 0) expect(c.read('queueMsixVector')).toBe(NO_VECTOR);
          }
        },
      ),
      propertyParameters(),
    );
  });
});

describe('DeviceModel: feature negotiation', () => {
  it('keeps FEATURES_OK exactly when the driver features are offered and include VERSION_1', () => {
    fc.assert(
      fc.property(arbitraryDescription(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.boolean(), (description, random, subset) => {
        const model = new DeviceModel(description);
        const c = common(model);
        const accepted = subset ? random & description.features : random;
        c.write('deviceStatus', ACK);
        c.write('deviceStatus', ACK | DRIVER);
        writeDriverFeatures(model, accepted);
        c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
        const valid = (accepted & ~description.features) === 0n && (description.transitional === true || (accepted & VERSION_1) !== 0n);
        expect((c.read('deviceStatus') & FEATURES_OK) !== 0).toBe(valid);
      }),
      propertyParameters(),
    );
  });

  it('shows the offered features in windows 0 and 1 and 0 beyond', () => {
    fc.assert(
      fc.property(arbitraryDescription(), fc.integer({ min: 2, max: 0xffffffff }), (description, select) => {
        const model = new DeviceModel(description);
        const c = common(model);
        let seen = 0n;
        for (const window of [0, 1]) {
          c.write('deviceFeatureSelect', window);
          seen |= BigInt(c.read('deviceFeature')) << BigInt(32 * window);
        }
        expect(seen).toBe(description.features);
        c.write('deviceFeatureSelect', select);
        expect(c.read('deviceFeature')).toBe(0);
      }),
      propertyParameters(),
    );
  });

  it('ignores driver feature writes once FEATURES_OK is accepted', () => {
    const model = new DeviceModel(modernNetDescription());
    const c = common(model);
    writeDriverFeatures(model, VERSION_1);
    c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
    writeDriverFeatures(model, VERSION_1 | 1n);
    c.write('driverFeatureSelect', 0);
    expect(c.read('driverFeature')).toBe(0);
  });
});

describe('DeviceModel: feature lock until reset', () => {
  const ACCESS_PLATFORM = 1n << 33n;

  it('keeps FEATURES_OK and the accepted features when the driver clears FEATURES_OK and renegotiates (digest §2.3)', () => {
    const model = new DeviceModel(modernNetDescription());
    const c = common(model);
    c.write('deviceStatus', ACK);
    c.write('deviceStatus', ACK | DRIVER);
    writeDriverFeatures(model, VERSION_1);
    c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
    // A driver must not clear a status bit (§2.1.1); the device keeps the negotiation closed anyway.
    c.write('deviceStatus', ACK | DRIVER);
    expect(c.read('deviceStatus') & FEATURES_OK).toBe(FEATURES_OK);
    writeDriverFeatures(model, VERSION_1 | ACCESS_PLATFORM);
    c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
    c.write('driverFeatureSelect', 1);
    expect(c.read('driverFeature')).toBe(1);
  });

  it('reopens negotiation only after a reset', () => {
    const model = new DeviceModel(modernNetDescription());
    const c = common(model);
    writeDriverFeatures(model, VERSION_1);
    c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
    c.write('deviceStatus', 0);
    expect(c.read('deviceStatus')).toBe(0);
    writeDriverFeatures(model, VERSION_1 | ACCESS_PLATFORM);
    c.write('deviceStatus', ACK | DRIVER | FEATURES_OK);
    c.write('driverFeatureSelect', 1);
    expect(c.read('driverFeature')).toBe(3);
    expect(c.read('deviceStatus') & FEATURES_OK).toBe(FEATURES_OK);
  });
});

describe('DeviceModel: queues', () => {
  it('reads queue_size 0 for every unavailable or absent queue across the 16-bit select range', () => {
    fc.assert(
      fc.property(arbitraryDescription(), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }), (description, selects) => {
        const model = new DeviceModel(description);
        const c = common(model);
        expect(c.read('numQueues')).toBe(description.queues.length);
        for (const select of selects) {
          c.write('queueSelect', select);
          const queue = description.queues[select];
          const expected = queue === undefined || queue.available === false ? 0 : queue.size;
          expect(c.read('queueSize')).toBe(expected);
          if (expected === 0) {
            c.write('queueEnable', 1);
            expect(c.read('queueEnable')).toBe(0);
          }
        }
      }),
      propertyParameters(),
    );
  });

  it('reads back an in-table vector and NO_VECTOR for one outside the table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (vector) => {
        const model = new DeviceModel(modernNetDescription());
        const c = common(model);
        c.write('queueSelect', 0);
        c.write('queueMsixVector', vector);
        expect(c.read('queueMsixVector')).toBe(vector < 4 ? vector : NO_VECTOR);
        c.write('configMsixVector', vector);
        expect(c.read('configMsixVector')).toBe(vector < 4 ? vector : NO_VECTOR);
      }),
      propertyParameters(),
    );
  });

  it('accepts only power-of-two queue sizes up to the maximum and enables a configured queue', () => {
    const model = new DeviceModel(modernNetDescription({ features: VERSION_1 }));
    const c = common(model);
    c.write('queueSelect', 2);
    c.write('queueSize', 48);
    expect(c.read('queueSize')).toBe(64);
    c.write('queueSize', 32);
    expect(c.read('queueSize')).toBe(32);
    c.write('queueSize', 128);
    expect(c.read('queueSize')).toBe(32);
    c.write('queueDescLo', 0x1000);
    c.write('queueEnable', 1);
    expect(c.read('queueEnable')).toBe(1);
    c.write('queueEnable', 0);
    expect(c.read('queueEnable')).toBe(1);
  });
});

describe('DeviceModel: device configuration, ISR and notifications', () => {
  it('moves config_generation when device configuration changes, not otherwise', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 7 }), (bytes, offset) => {
        const model = new DeviceModel(modernNetDescription());
        const c = common(model);
        const before = c.read('configGeneration');
        const current = model.state.deviceConfig.slice(offset);
        const changed = model.updateDeviceConfig(offset, bytes.subarray(0, 8 - offset));
        const differs = current.some((byte, i) => byte !== bytes[i]);
        expect(changed).toBe(differs);
        expect(c.read('configGeneration') !== before).toBe(differs);
        const p = model.description.placement;
        expect(model.barRead(p.bar, p.device! + offset, 1)).toBe(bytes[0]);
      }),
      propertyParameters(),
    );
  });

  it('clears the ISR on read and mirrors it in the PCI status INTERRUPT bit', () => {
    const model = new DeviceModel(modernNetDescription());
    const p = model.description.placement;
    model.updateDeviceConfig(0, Uint8Array.of(0xaa));
    model.raiseQueueInterrupt();
    expect(model.configRead(0x06, 2) & 0x08).toBe(0x08);
    expect(model.barRead(p.bar, p.isr, 1)).toBe(0x3);
    expect(model.barRead(p.bar, p.isr, 1)).toBe(0);
    expect(model.configRead(0x06, 2) & 0x08).toBe(0);
  });

  it('keeps PCI status INTERRUPT equal to the OR of the ISR bits while MSI-X is off, across MSI-X enable changes (PCI-DEV-31)', () => {
    // Message Control is the 16-bit register at MSI-X capability + 2; bit 15 enables MSI-X (digest §4.3).
    const MSIX_ENABLE = 0x8000;
    const STATUS = 0x06;
    const INTERRUPT = 0x08;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('queue', 'config', 'readIsr', 'enable', 'disable'), { maxLength: 30 }), (steps) => {
        const model = new DeviceModel(modernNetDescription());
        const p = model.description.placement;
        const control = model.capabilities.find((cap) => cap.name === 'msix')!.offset + 2;
        // Expected ISR and MSI-X state are tracked here, independently of the model.
        let isr = 0;
        let msix = false;
        let generation = 0;
        for (const step of steps) {
          if (step === 'queue') {
            model.raiseQueueInterrupt();
            isr |= 1;
          } else if (step === 'config') {
            model.updateDeviceConfig(0, Uint8Array.of(++generation & 0xff));
            isr |= 2;
          } else if (step === 'readIsr') {
            expect(model.barRead(p.bar, p.isr, 1)).toBe(isr);
            isr = 0;
          } else {
            msix = step === 'enable';
            model.configWrite(control, 2, msix ? MSIX_ENABLE : 0);
          }
          const expected = !msix && isr !== 0 ? INTERRUPT : 0;
          expect(model.configRead(STATUS, 2) & INTERRUPT).toBe(expected);
          expect(model.snapshot()[STATUS]! & INTERRUPT).toBe(expected);
        }
      }),
      propertyParameters(),
    );
  });

  it('sets PCI status INTERRUPT when MSI-X is disabled with an interrupt pending in the ISR', () => {
    const model = new DeviceModel(modernNetDescription());
    const control = model.capabilities.find((cap) => cap.name === 'msix')!.offset + 2;
    model.configWrite(control, 2, 0x8000);
    model.raiseQueueInterrupt();
    expect(model.configRead(0x06, 2) & 0x08).toBe(0);
    model.configWrite(control, 2, 0);
    expect(model.configRead(0x06, 2) & 0x08).toBe(0x08);
  });

  it('records a notification for the queue whose notify address is written', () => {
    const model = new DeviceModel(modernNetDescription());
    const p = model.description.placement;
    model.barWrite(p.bar, p.notify + 2 * 4, 2, 2);
    expect(model.notifications()).toEqual([{ queues: [2], value: 2 }]);
  });
});

describe('DeviceModel: a notification structure in an I/O BAR, the fend-off BAR0 and admin queues', () => {
  // QEMU's modern-pio-notify=on shape: the memory structures in BAR4, one more notification structure in I/O BAR2.
  const pio = () => new DeviceModel(modernNetDescription({ placement: { bar: 4, space: 'memory', is64: true, prefetchable: true, size: 0x4000, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000, notifyIoBar: 2 } }));

  it('lists a second NOTIFY_CFG capability naming the I/O BAR with multiplier 0, after the first', () => {
    const model = pio();
    const notifies = model.capabilities.filter((cap) => cap.cfgType === 2);
    expect(notifies.map((cap) => cap.range)).toEqual([
      { cfgType: 2, bar: 4, offset: 0x3000n, length: 10n },
      { cfgType: 2, bar: 2, offset: 0n, length: 2n },
    ]);
    const io = notifies[1]!;
    expect(model.configRead(io.offset + 4, 1)).toBe(2);
    expect(model.configRead(io.offset + 16, 4)).toBe(0);
    expect(model.barSizes()[2]).toBeGreaterThanOrEqual(2);
    // Bit 0 of an I/O BAR register says I/O space.
    expect(model.configRead(0x18, 4) & 1).toBe(1);
  });

  it('records a notification written to the I/O BAR, directly or through the window with that bar', () => {
    const model = pio();
    model.barWrite(2, 0, 2, 1);
    const at = model.capabilities.find((cap) => cap.name === 'pci-cfg')!.offset;
    model.configWrite(at + 4, 1, 2);
    model.configWrite(at + 12, 4, 2);
    model.configWrite(at + 8, 4, 0);
    model.configWrite(at + 16, 2, 2);
    expect(model.notifications().map((record) => record.value)).toEqual([1, 2]);
    // The same offset in BAR4 is the common configuration, which the window write did not touch.
    expect(common(model).read('deviceFeatureSelect')).toBe(0);
  });

  it('goes quiet for good after a one-byte 0 at the fend-off BAR0 legacy status offset, and not before', () => {
    const model = new DeviceModel(modernNetDescription({ fendOffLegacyDrivers: true }));
    const c = common(model);
    c.write('deviceFeatureSelect', 1);
    expect(model.barSizes()[0]).toBeGreaterThanOrEqual(24);
    model.barWrite(0, 18, 2, 0);
    expect(c.read('deviceFeatureSelect')).toBe(1);
    model.barWrite(0, 18, 1, 0);
    expect(c.read('deviceFeatureSelect')).toBe(0);
    expect(c.read('numQueues')).toBe(0);
    c.write('queueSelect', 1);
    expect(model.barRead(4, 22, 2)).toBe(0);
    expect(checkDescription(transitionalNetDescription({ fendOffLegacyDrivers: true })).map((issue) => issue.code)).toContain('placement-bar');
  });

  it('puts admin_queue_index past the regular queues, with no admin queues', () => {
    const model = new DeviceModel(modernNetDescription());
    const p = model.description.placement;
    expect(model.barRead(p.bar, p.common + 60, 2)).toBe(3);
    expect(model.barRead(p.bar, p.common + 62, 2)).toBe(0);
  });
});

describe('DeviceModel: PCI configuration access window', () => {
  const description = modernNetDescription();
  const capOffset = (model: DeviceModel): number => model.capabilities.find((cap) => cap.name === 'pci-cfg')!.offset;

  it('reads BAR bytes only for length 1/2/4, aligned offsets inside a described range; otherwise 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 0x4000 - 4 }),
        fc.constantFrom(0, 1, 2, 3, 4, 8),
        (bar, offset, length) => {
          const model = new DeviceModel(description);
          const at = capOffset(model);
          model.updateDeviceConfig(0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
          model.barRead(4, 0x1000, 1);
          model.configWrite(at + 4, 1, bar);
          model.configWrite(at + 8, 4, offset);
          model.configWrite(at + 12, 4, length);
          const valid =
            bar === 4 &&
            (length === 1 || length === 2 || length === 4) &&
            offset % length === 0 &&
            [[0, 64], [0x1000, 1], [0x2000, 8], [0x3000, 10]].some(([start, size]) => offset >= start! && offset + length <= start! + size!);
          const viaWindow = model.configRead(at + 16, 4);
          const direct = valid ? model.barRead(bar, offset, length as AccessWidth) : 0;
          expect(viaWindow).toBe(direct);
        },
      ),
      propertyParameters(),
    );
  });

  it('writes through the window into common config, and ignores a misaligned write', () => {
    const model = new DeviceModel(description);
    const at = capOffset(model);
    const c = common(model);
    model.configWrite(at + 4, 1, 4);
    model.configWrite(at + 12, 4, 2);
    model.configWrite(at + 8, 4, 22);
    model.configWrite(at + 16, 2, 2);
    expect(c.read('queueSelect')).toBe(2);
    model.configWrite(at + 8, 4, 23);
    model.configWrite(at + 16, 2, 1);
    expect(c.read('queueSelect')).toBe(2);
    expect(model.window.log.at(-1)).toMatchObject({ kind: 'refused', reason: 'alignment' });
  });

  it('lets the driver write only bar, offset, length and data of that capability', () => {
    const model = new DeviceModel(description);
    const at = capOffset(model);
    const before = model.snapshot();
    for (let offset = 0x40; offset < 0x100; offset += 4) model.configWrite(offset, 4, 0xffffffff);
    const after = model.snapshot();
    for (let offset = 0x40; offset < 0x100; offset++) {
      const writable = (offset === at + 4) || (offset >= at + 8 && offset < at + 20);
      const msixControl = model.capabilities.find((cap) => cap.name === 'msix')!.offset + 3;
      if (!writable && offset !== msixControl) expect([offset, after[offset]]).toEqual([offset, before[offset]]);
    }
  });
});

describe('DeviceModel: BARs and construction', () => {
  it('reports BAR sizes and answers sizing probes with them', () => {
    fc.assert(
      fc.property(arbitraryDescription(), (description) => {
        const model = new DeviceModel(description);
        const sizes = model.barSizes();
        expect(sizes[description.placement.bar]).toBeGreaterThan(0);
        if (description.transitional === true) expect(sizes[0]).toBeGreaterThan(0);
        sizes.forEach((size, slot) => {
          model.configWrite(0x10 + 4 * slot, 4, 0xffffffff);
          const low = model.configRead(0x10 + 4 * slot, 4);
          if (size === 0) return;
          const flags = low & 1 ? 0x3 : 0xf;
          const mask = (low & ~flags) >>> 0;
          if (mask !== 0) expect(mask & -mask).toBe(size >= 2 ** 32 ? 0 : size);
        });
      }),
      propertyParameters(),
    );
  });

  it('refuses overlapping structures and bad descriptions with a coded error', () => {
    expect(() => new DeviceModel(modernNetDescription({ placement: { bar: 4, space: 'memory', common: 0, notify: 0x20, isr: 0x1000 } }))).toThrow(DeviceModelError);
    expect(() => new DeviceModel(modernNetDescription({ notifyOffMultiplier: 3 }))).toThrow(DeviceModelError);
    expect(() => new DeviceModel(transitionalNetDescription({ deviceType: 16 }))).toThrow(DeviceModelError);
  });

  it('builds every description checkDescription accepts, and refuses every other one with DeviceModelError and the issues', () => {
    // Valid descriptions with up to three random changes, each of which may or may not break them.
    const bar = fc.integer({ min: -1, max: 7 });
    const change = fc.oneof(
      bar.map((msixBar) => (d: VirtioDeviceDescription): VirtioDeviceDescription => ({ ...d, msixBar })),
      fc.record({ bar, is64: fc.boolean(), space: fc.constantFrom<'memory' | 'io'>('memory', 'io') }).map((b) => (d: VirtioDeviceDescription) => ({ ...d, placement: { ...d.placement, ...b } })),
      fc.constantFrom(0x10, 0x1000, 0x5000, 0x10000, 0x40000).map((size) => (d: VirtioDeviceDescription) => ({ ...d, placement: { ...d.placement, size } })),
      fc.record({ bar, length: fc.constantFrom(0n, 0x1000n, 1n << 60n) }).map((r) => (d: VirtioDeviceDescription) => ({ ...d, sharedMemory: [...(d.sharedMemory ?? []), { id: (d.sharedMemory ?? []).length + 7, bar: r.bar, offset: 0n, length: r.length }] })),
      fc.constantFrom(1, 2, 3, 0x40).map((delta) => (d: VirtioDeviceDescription) => ({ ...d, placement: { ...d.placement, notify: d.placement.notify + delta } })),
      fc.constantFrom(0, 1, 2, 3, 4, 4096).map((notifyOffMultiplier) => (d: VirtioDeviceDescription) => ({ ...d, notifyOffMultiplier })),
      fc.constantFrom(1n << 32n, 1n << 38n, 1n << 39n).map((bit) => (d: VirtioDeviceDescription) => ({ ...d, features: d.features ^ bit })),
      fc.constantFrom(3, 100, 0x8000, 0x10000).map((size) => (d: VirtioDeviceDescription) => ({ ...d, queues: [...d.queues, { size }] })),
      fc.record({ vendorId: fc.constantFrom(0x1af4, 0x8086, 0x10000), length: fc.constantFrom(2, 120, 240) }).map((v) => (d: VirtioDeviceDescription) => ({ ...d, vendorData: [...(d.vendorData ?? []), { vendorId: v.vendorId, data: new Uint8Array(v.length) }] })),
      fc.constantFrom(0, 1, 0x800, 0x801).map((msixVectors) => (d: VirtioDeviceDescription) => ({ ...d, msixVectors })),
      fc.constant((d: VirtioDeviceDescription) => ({ ...d, allowNonConformant: true })),
    );
    const loose = fc.tuple(arbitraryDescription(), fc.array(change, { maxLength: 3 })).map(([valid, changes]) => changes.reduce((d, apply) => apply(d), valid));
    fc.assert(
      fc.property(loose, (description) => {
        const issues = checkDescription(description);
        let error: unknown;
        let model: DeviceModel | undefined;
        try {
          model = new DeviceModel(description);
        } catch (caught) {
          error = caught;
        }
        if (issues.length === 0) {
          expect(error).toBeUndefined();
          if (description.allowNonConformant === true) return;
          // A conformant device: the rules of digest §1.6, §1.10, §2.2 and PCI-DEV-21, written out.
          const dataWidth = (description.features & (1n << 38n)) !== 0n ? 4 : 2;
          const p = description.placement;
          expect(p.notify % dataWidth).toBe(0);
          expect(description.notifyOffMultiplier % dataWidth === 0 || (dataWidth === 2 && description.notifyOffMultiplier === 1)).toBe(true);
          for (const queue of description.queues) expect(queue.size === 0 || (queue.size & (queue.size - 1)) === 0).toBe(true);
          if (description.transitional !== true) expect(description.features & (1n << 32n)).toBe(1n << 32n);
          for (const vendor of description.vendorData ?? []) expect(vendor.vendorId).not.toBe(0x1af4);
          expect(model!.barSizes()[p.bar]).toBeGreaterThan(0);
        } else {
          expect(error).toBeInstanceOf(DeviceModelError);
          expect((error as DeviceModelError).diagnostic).toBe('deviceModelBadDescription');
          expect((error as DeviceModelError).issues).toEqual(issues);
        }
      }),
      propertyParameters({ numRuns: 400 }),
    );
  });

  it('presents the 24-bit class code as prog_if, sub-class and base class at 0x09..0x0b (digest §4.1)', () => {
    const model = new DeviceModel(modernNetDescription({ classCode: 0x0c0330 }));
    expect([model.configRead(0x09, 1), model.configRead(0x0a, 1), model.configRead(0x0b, 1)]).toEqual([0x30, 0x03, 0x0c]);
  });

  it('serves the legacy interface in I/O BAR0 of a transitional device', () => {
    const model = new DeviceModel(transitionalNetDescription());
    expect(model.barRead(0, 0, 4)).toBe(Number(model.description.features & 0xffffffffn));
    model.barWrite(0, 18, 1, ACK | DRIVER);
    expect(common(model).read('deviceStatus')).toBe(ACK | DRIVER);
    model.raiseQueueInterrupt();
    expect(model.barRead(0, 19, 1)).toBe(1);
    expect(model.barRead(0, 19, 1)).toBe(0);
    expect(model.barRead(0, 20, 1)).toBe(0x52);
  });
});
