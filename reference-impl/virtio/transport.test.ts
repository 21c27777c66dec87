import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import type { AccessWidth } from '../pci/le-bytes.ts';
import { DeviceModel, type PciFunctionPort } from './device-model.ts';
import { arbitraryDescription, modernNetDescription } from './example-devices.ts';
import { VirtioPciTransport } from './transport.ts';

const DRIVER_OK_STATUS = 1 | 2 | 8 | 4;
const ACCESS_PLATFORM = 1n << 33n;
const VERSION_1 = 1n << 32n;
const NOTIFICATION_DATA = 1n << 38n;
const NOTIF_CONFIG_DATA = 1n << 39n;
/** queue_notif_config_data is the le16 at common-config offset 56 (digest §1.5). */
const NOTIF_CONFIG_DATA_OFFSET = 56;

describe('VirtioPciTransport on the reference model', () => {
  it('initialises every valid device: DRIVER_OK, no deviations, each available queue enabled', () => {
    fc.assert(
      fc.property(arbitraryDescription(), (description) => {
        const model = new DeviceModel(description);
        const result = new VirtioPciTransport(model).initialize();
        expect(result.deviations).toEqual([]);
        expect(result.ok).toBe(true);
        expect(model.state.status).toBe(DRIVER_OK_STATUS);
        expect(result.offeredFeatures).toBe(description.features);
        expect(result.negotiatedFeatures).toBe(description.features & (VERSION_1 | ACCESS_PLATFORM));
        const available = description.queues.flatMap((queue, index) => (queue.available === false || queue.size === 0 ? [] : [index]));
        expect(result.queues.map((queue) => queue.index)).toEqual(available);
        for (const index of available) expect(model.state.queues[index]!.enabled).toBe(true);
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });

  it('finds the structures the capabilities describe and notifies through the notify address', () => {
    const model = new DeviceModel(modernNetDescription());
    const transport = new VirtioPciTransport(model);
    const result = transport.initialize();
    expect(result.structures.common).toMatchObject({ bar: 4, offset: 0 });
    expect(result.structures.notify).toMatchObject({ bar: 4, offset: 0x3000, multiplier: 4 });
    transport.notify(result.structures, result.queues[1]!);
    expect(model.notifications()).toEqual([{ queues: [1], value: 1 }]);
    expect(result.log.some((access) => access.space === 'bar' && access.op === 'write' && access.offset === 20 && access.value === 0)).toBe(true);
  });

  it('reports a device that refuses FEATURES_OK and sets FAILED', () => {
    const model = new DeviceModel(modernNetDescription());
    const result = new VirtioPciTransport(model, { acceptFeatures: () => ACCESS_PLATFORM }).initialize();
    expect(result.ok).toBe(false);
    expect(result.deviations.map((d) => d.code)).toEqual(['features-ok-refused']);
    expect(model.state.status & 0x80).toBe(0x80);
  });

  it('reports a device whose reset never completes, without waiting forever', () => {
    const model = new DeviceModel(modernNetDescription());
    const stuck: PciFunctionPort = {
      configRead: (o, w) => model.configRead(o, w),
      configWrite: (o, w, v) => model.configWrite(o, w, v),
      barRead: (bar, o, w: AccessWidth) => (bar === 4 && o === 20 ? 1 : model.barRead(bar, o, w)),
      barWrite: (bar, o, w, v) => model.barWrite(bar, o, w, v),
    };
    const result = new VirtioPciTransport(stuck, { resetPolls: 5 }).initialize();
    expect(result.ok).toBe(false);
    expect(result.deviations).toMatchObject([{ code: 'reset-not-complete', polls: 5 }]);
  });

  it('reports queue sizes that are not powers of two and queues enabled after reset', () => {
    const model = new DeviceModel(modernNetDescription());
    const lying: PciFunctionPort = {
      configRead: (o, w) => model.configRead(o, w),
      configWrite: (o, w, v) => model.configWrite(o, w, v),
      barRead: (bar, o, w) => (bar === 4 && o === 24 ? 100 : bar === 4 && o === 28 && model.state.queueSelect === 0 && !model.state.queues[0]!.enabled ? 1 : model.barRead(bar, o, w)),
      barWrite: (bar, o, w, v) => model.barWrite(bar, o, w, v),
    };
    const codes = new VirtioPciTransport(lying).initialize().deviations.map((d) => d.code);
    expect(codes).toContain('queue-size-not-power-of-two');
    expect(codes).toContain('queue-enabled-after-reset');
  });

  describe('available-buffer notifications follow the negotiated features (PCI-DRV-32, -33)', () => {
    const lastWrite = (transport: VirtioPciTransport) => transport.accesses().filter((access) => access.space === 'bar' && access.op === 'write').at(-1);

    it('writes the 16-bit queue index without NOTIFICATION_DATA and NOTIF_CONFIG_DATA', () => {
      const model = new DeviceModel(modernNetDescription());
      const transport = new VirtioPciTransport(model);
      const result = transport.initialize();
      transport.notify(result.structures, result.queues[2]!, { nextOff: 7, nextWrap: true });
      expect(lastWrite(transport)).toMatchObject({ bar: 4, offset: 0x3000 + 2 * 4, width: 2, value: 2 });
    });

    it('writes 32 bits with NOTIFICATION_DATA: index in bits 0-15, next_off in 16-30, next_wrap in 31', () => {
      const model = new DeviceModel(modernNetDescription({ features: VERSION_1 | NOTIFICATION_DATA }));
      const transport = new VirtioPciTransport(model, { acceptFeatures: (offered) => offered });
      const result = transport.initialize();
      expect(result.ok).toBe(true);
      transport.notify(result.structures, result.queues[1]!, { nextOff: 0x7abc, nextWrap: true });
      expect(lastWrite(transport)).toMatchObject({ bar: 4, offset: 0x3000 + 4, width: 4, value: 0xfabc_0001 });
      expect(model.notifications().at(-1)).toEqual({ queues: [1], value: 0xfabc_0001 });
      transport.notify(result.structures, result.queues[0]!);
      expect(lastWrite(transport)).toMatchObject({ width: 4, value: 0 });
    });

    it('sends queue_notif_config_data instead of the index with NOTIF_CONFIG_DATA, 16- or 32-bit', () => {
      for (const [features, width, expected] of [
        [VERSION_1 | NOTIF_CONFIG_DATA, 2, 0x4202],
        [VERSION_1 | NOTIF_CONFIG_DATA | NOTIFICATION_DATA, 4, 0x8003_4202],
      ] as const) {
        const model = new DeviceModel(modernNetDescription({ features }));
        const p = model.description.placement;
        // A device whose notification values differ from the queue indexes, so the two cannot be confused.
        const port: PciFunctionPort = {
          configRead: (o, w) => model.configRead(o, w),
          configWrite: (o, w, v) => model.configWrite(o, w, v),
          barRead: (bar, o, w) => (bar === p.bar && o === p.common + NOTIF_CONFIG_DATA_OFFSET ? 0x4200 + model.state.queueSelect : model.barRead(bar, o, w)),
          barWrite: (bar, o, w, v) => model.barWrite(bar, o, w, v),
        };
        const transport = new VirtioPciTransport(port, { acceptFeatures: (offered) => offered });
        const result = transport.initialize();
        expect(result.ok).toBe(true);
        transport.notify(result.structures, result.queues[2]!, { nextOff: 3, nextWrap: true });
        expect(lastWrite(transport)).toMatchObject({ offset: p.notify + 2 * 4, width, value: expected });
      }
    });
  });
});
