import { describe, expect, it } from 'vitest';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { DeviceModel } from '../../../reference-impl/virtio/device-model.ts';
import { modernNetDescription } from '../../../reference-impl/virtio/example-devices.ts';
import { ReferencePciFunction } from '../../../targets/reference-device.ts';
import { viewFunction } from './function-view.ts';
import { liveCommonConfig, preferredCapabilities } from './live-access.ts';
import { device } from '../../../test-support/device-checks/test-devices.ts';
import * as features from './feature-checks.ts';
import * as live from './live-checks.ts';
import * as window from './window-checks.ts';
import { checkVendorDataReads } from './vendor-data-checks.ts';
import type { CheckFinding } from './verdict.ts';

const grants = { specVersions: [], grants: true, iommu: false, source: 'the test declares grants' };

function expectFailure(verdict: CheckFinding, text: string): void {
  expect(verdict.outcome, JSON.stringify(verdict)).toBe('fail');
  if (verdict.outcome === 'fail') {
    expect(verdict.message).toContain(text);
    expect(verdict.evidence.length).toBeGreaterThan(0);
  }
}

describe('live checks on the reference devices', () => {
  it.each(['net', 'net-transitional', 'blk', 'iommu', 'fs'])('%s passes every live check that applies', async (id) => {
    const h = await device(id);
    const ds = h.fn.deviceSide;
    const verdicts: Record<string, CheckFinding> = {
      reset: await live.checkReset(h.common),
      enable: await live.checkQueueEnableAfterReset(h.common),
      deviceWindows: await features.checkDeviceFeatureWindows(h.common),
      driverWindows: await features.checkDriverFeatureWindows(h.common),
      featuresOk: await features.checkValidSubsetsAccepted(h.common),
      unoffered: await features.checkUnofferedBitRefused(h.common),
      renegotiate: await features.checkRenegotiation(h.common),
      reserved: await features.checkReservedFeatures(h.common, '1.3'),
      platform: await features.checkAccessPlatformOffered(h.common, grants),
      unavailable: await live.checkUnavailableQueues(h.common, true),
      sizes: await live.checkQueueSizes(h.common),
      notify: await live.checkNotifyBounds(h.view, h.common),
      halves: await live.checkSixtyFourBitHalves(h.common),
      vectorsReset: await live.checkVectorsAfterReset(h.view, h.common),
      vectors: await live.checkVectorMapping(h.view, h.common),
      refusal: await live.checkVectorRefusal(h.view, h.common),
      isr: await live.checkIsrReadClears(h.view, h.common.access, ds.raiseQueueInterrupt),
      generation: await live.checkConfigGeneration(h.view, h.common, ds.changeDeviceConfig),
      deviceConfig: await live.checkDeviceConfigBeforeFeaturesOk(h.view, h.common),
      windowReads: await window.checkWindowReads(h.view, h.common),
      windowWrites: await window.checkWindowWrites(h.view, h.common),
      vendorData: await checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot(), h.common),
    };
    const failed = Object.entries(verdicts).filter(([, verdict]) => verdict.outcome === 'fail');
    expect(failed).toEqual([]);
    expect(Object.values(verdicts).filter((verdict) => verdict.outcome === 'pass').length).toBeGreaterThan(15);
  });

  it('blk (RING_RESET) passes the queue reset checks; net finds them inapplicable', async () => {
    const blk = await device('blk');
    expect((await live.checkQueueResetIdle(blk.common)).outcome).toBe('pass');
    expect((await live.checkQueueReset(blk.common)).outcome).toBe('pass');
    expect((await live.checkQueueResetIdle((await device('net')).common)).outcome).toBe('inapplicable');
  });

  it('uses the first available queue when queue 0 is unavailable', async () => {
    const fn = new ReferencePciFunction('gap', 'queue 0 unavailable', new DeviceModel(modernNetDescription({ queues: [{ size: 0, available: false }, { size: 64 }] })));
    const view = viewFunction(fn.id, await fn.snapshot(), { claimedVirtio: true });
    const common = liveCommonConfig(view, fn);
    if (typeof common === 'string') throw new Error(common);
    expect((await live.checkSixtyFourBitHalves(common)).outcome).toBe('pass');
    expect((await live.checkQueueEnableAfterReset(common)).outcome).toBe('pass');
    expect((await live.checkVectorMapping(view, common)).outcome).toBe('pass');
  });

  it('without device-side control ISR and config_generation checks are inapplicable', async () => {
    const h = await device('net');
    expect((await live.checkIsrReadClears(h.view, h.common.access)).outcome).toBe('inapplicable');
    expect((await live.checkConfigGeneration(h.view, h.common)).outcome).toBe('inapplicable');
  });
});

describe('live checks on broken devices', () => {
  it('PCI-DEV-16: device_status that never reads 0', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') ? 1 : v);
    expectFailure(await live.checkReset(h.common), 'still reads 0x1 after a write of 0');
  });

  it('PCI-DEV-17: queue_enable that stays 1 after reset', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('queueEnable') ? 1 : v);
    expectFailure(await live.checkQueueEnableAfterReset(h.common), 'queue_enable');
  });

  it('PCI-DEV-20: queue_select 0x8000 with a non-zero size fails both the sweep and the sample', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('queueSize') && s.queueSelect === 0x8000 ? 256 : v);
    expectFailure(await live.checkUnavailableQueues(h.common, true), 'queue_select 0x8000');
    expectFailure(await live.checkUnavailableQueues(h.common, false), 'queue_select 0x8000');
  });

  it('PCI-DEV-20: a device that drops selects of 1024 and up and keeps showing the previous queue (QEMU 7.2) fails, swept and sampled', async () => {
    for (const exhaustive of [true, false]) {
      const h = await device('net');
      h.hooks.writeBar = (o, _w, v) => !(o === h.at('queueSelect') && v >= 1024);
      const verdict = await live.checkUnavailableQueues(h.common, exhaustive);
      expectFailure(verdict, 'queue_select 0x400');
      if (verdict.outcome === 'fail') {
        expect(verdict.violations[0]).toMatchObject({ code: 'queue-size-unavailable', select: 0x400, queues: 3, size: 256, selectReadBack: 0, previous: 0 });
        expect(verdict.message).toContain('dropped the select');
        expect(verdict.condition).toContain('"if the virtqueue corresponding to the current queue_select is unavailable"');
      }
    }
  });

  it('PCI-DEV-18/19 run on a device that refuses FEATURES_OK unless ACCESS_PLATFORM is accepted (QEMU iommu_platform=on)', async () => {
    const h = await device('blk');
    // ACCESS_PLATFORM is bit 33: bit 1 of driver_feature window 1.
    let select = 0;
    let platform = false;
    h.hooks.writeBar = (o, _w, v) => {
      if (o === h.at('driverFeatureSelect')) select = v;
      if (o === h.at('driverFeature') && select === 1) platform = (v & 2) !== 0;
      return true;
    };
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') && !platform ? v & ~VirtioDeviceStatus.FEATURES_OK : v);
    expect((await live.checkQueueResetIdle(h.common)).outcome).toBe('pass');
    expect((await live.checkQueueReset(h.common)).outcome).toBe('pass');
  });

  it('PCI-DEV-21/27: a queue size of 3 and a notify offset past the structure', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('queueSize') && v !== 0 ? 3 : o === h.at('queueNotifyOff') ? 0x7fff : v);
    expectFailure(await live.checkQueueSizes(h.common), 'power of two');
    expectFailure(await live.checkNotifyBounds(h.view, h.common), 'exceeds the notify length');
  });

  it('PCI-DEV-08: a high-half write that clears the low half', async () => {
    const h = await device('net');
    h.hooks.writeBar = (o, w, v) => {
      if (o === h.at('queueDesc') + 4) void h.fn.writeBar(h.common.bar, h.at('queueDesc'), w, 0);
      void v;
      return true;
    };
    expectFailure(await live.checkSixtyFourBitHalves(h.common), 'high half');
  });

  it('PCI-DEV-50/49/51: vectors that survive reset, refuse valid mappings, accept impossible ones', async () => {
    const stuck = await device('net');
    stuck.hooks.readBar = (o, _w, v) => (o === stuck.at('configMsixVector') ? 0 : v);
    expectFailure(await live.checkVectorsAfterReset(stuck.view, stuck.common), 'after reset');
    expectFailure(await live.checkVectorRefusal(stuck.view, stuck.common), 'instead of NO_VECTOR');
    const refusing = await device('net');
    refusing.hooks.readBar = (o, _w, v) => (o === refusing.at('queueMsixVector') ? VIRTIO_MSI_NO_VECTOR : v);
    expectFailure(await live.checkVectorMapping(refusing.view, refusing.common), 'read back 0xffff');
  });

  it('PCI-DEV-32: an ISR that does not clear on read', async () => {
    const h = await device('net');
    const isr = preferredCapabilities(h.view).get(VirtioPciCfgType.ISR_CFG)!;
    h.hooks.readBar = (o, _w, v) => (o === Number(isr.virtio.offset) ? 1 : v);
    expectFailure(await live.checkIsrReadClears(h.view, h.common.access, () => {}), 'did not clear');
  });

  it('PCI-DEV-15: a config_generation that never moves', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('configGeneration') ? 7 : v);
    expectFailure(await live.checkConfigGeneration(h.view, h.common, h.fn.deviceSide.changeDeviceConfig), 'config_generation stayed 7');
  });

  it('PCI-DEV-18/19: queue_reset stuck at 1', async () => {
    const h = await device('blk');
    h.hooks.readBar = (o, _w, v) => (o === h.at('queueReset') ? 1 : v);
    expectFailure(await live.checkQueueResetIdle(h.common), 'queue_reset reads 1');
    expectFailure(await live.checkQueueReset(h.common), 'never read 0');
  });

  it('VIRTIO-DEV-09: a device that needs a reset after device config reads', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') && v !== 0 ? v | VirtioDeviceStatus.DEVICE_NEEDS_RESET : v);
    expectFailure(await live.checkDeviceConfigBeforeFeaturesOk(h.view, h.common), 'device_status reads');
  });
});
