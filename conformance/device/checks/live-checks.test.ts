import { describe, expect, it } from 'vitest';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { DeviceModel } from '../../../reference-impl/virtio/device-model.ts';
import { modernNetDescription } from '../../../reference-impl/virtio/example-devices.ts';
import { ReferencePciFunction } from '../../../targets/reference-device.ts';
import { viewFunction } from './function-view.ts';
import { liveCommonConfig, preferredCapabilities } from './live-access.ts';
import { device } from './test-devices.ts';
import * as live from './live-checks.ts';
import type { CheckVerdict } from './verdict.ts';

function expectFailure(verdict: CheckVerdict, text: string): void {
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
    const verdicts: Record<string, CheckVerdict> = {
      reset: await live.checkReset(h.common),
      enable: await live.checkQueueEnableAfterReset(h.common),
      deviceWindows: await live.checkDeviceFeatureWindows(h.common),
      driverWindows: await live.checkDriverFeatureWindows(h.common),
      featuresOk: await live.checkFeaturesOk(h.common),
      renegotiate: await live.checkRenegotiation(h.common),
      reserved: await live.checkReservedFeatures(h.common),
      platform: await live.checkAccessPlatformOffered(h.common),
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
      windowReads: await live.checkWindowReads(h.view, h.common),
      windowWrites: await live.checkWindowWrites(h.view, h.common),
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
    expectFailure(await live.checkReset(h.common), 'did not read 0');
  });

  it('PCI-DEV-17: queue_enable that stays 1 after reset', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('queueEnable') ? 1 : v);
    expectFailure(await live.checkQueueEnableAfterReset(h.common), 'queue_enable');
  });

  it('PCI-DEV-13: device_feature window 2 that is not 0', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') && s.featureSelect >= 2 ? 0x1 : v);
    expectFailure(await live.checkDeviceFeatureWindows(h.common), 'device_feature_select 0x2');
  });

  it('PCI-DEV-14: driver_feature that drops VERSION_1', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('driverFeature') && s.driverSelect === 1 ? v & ~1 : v);
    expectFailure(await live.checkDriverFeatureWindows(h.common), 'missing');
  });

  it('VIRTIO-DEV-04: FEATURES_OK kept with an unoffered bit (as QEMU 7.2 does)', async () => {
    const h = await device('net');
    let asked = false;
    h.hooks.writeBar = (o, _w, v) => {
      if (o === h.at('deviceStatus')) asked = (v & VirtioDeviceStatus.FEATURES_OK) !== 0;
      return true;
    };
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') && asked ? v | VirtioDeviceStatus.FEATURES_OK : v);
    expectFailure(await live.checkFeaturesOk(h.common), 'does not offer');
  });

  it('VIRTIO-DEV-10/11/05: VERSION_1 or ACCESS_PLATFORM missing, reserved bit 31 offered', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') ? (s.featureSelect === 1 ? v & ~3 : v | 0x8000_0000) >>> 0 : v);
    expectFailure(await live.checkVersion1Offered(h.view, h.common), 'VERSION_1');
    expectFailure(await live.checkAccessPlatformOffered(h.common), 'ACCESS_PLATFORM');
    expectFailure(await live.checkReservedFeatures(h.common), '31');
  });

  it('VIRTIO-DEV-12: SR_IOV offered by a function without extended capabilities', async () => {
    const h = await device('net');
    expect((await live.checkSrIovOffer(h.view, h.common)).outcome).toBe('pass');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') && s.featureSelect === 1 ? v | 0x20 : v);
    expectFailure(await live.checkSrIovOffer(h.view, h.common), 'SR_IOV');
  });

  it('PCI-DEV-20: queue_select 0x8000 with a non-zero size fails both the sweep and the sample', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('queueSize') && s.queueSelect === 0x8000 ? 256 : v);
    expectFailure(await live.checkUnavailableQueues(h.common, true), 'queue_select 0x8000');
    expectFailure(await live.checkUnavailableQueues(h.common, false), 'queue_select 0x8000');
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

  it('PCI-DEV-43/42: a window that corrupts reads and one that drops writes', async () => {
    const h = await device('net');
    const window = preferredCapabilities(h.view).get(VirtioPciCfgType.PCI_CFG)!;
    const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
    h.hooks.readConfig = (o, _w, v) => (o === data ? v ^ 1 : v);
    const read = await live.checkWindowReads(h.view, h.common);
    expectFailure(read, `at config 0x${data.toString(16)}`);
    if (read.outcome === 'fail') expect(read.evidence[0]).toMatchObject({ kind: 'bytes', space: 'config', offset: window.offset });
    h.hooks.readConfig = undefined;
    h.hooks.writeConfig = (o) => o !== data;
    expectFailure(await live.checkWindowWrites(h.view, h.common), 'pci_cfg_data');
  });

  it('PCI-DEV-43: a window that ignores the bar field', async () => {
    const h = await device('net');
    const window = preferredCapabilities(h.view).get(VirtioPciCfgType.PCI_CFG)!;
    h.hooks.writeConfig = (o) => o !== window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar;
    expectFailure(await live.checkWindowReads(h.view, h.common), 'bar field');
  });

  it('PCI-DEV-40: vendor data whose reads change what it shows', async () => {
    const h = await device('fs');
    const vendor = h.view.virtioCapabilities.find((c) => c.virtio.cfgType === VirtioPciCfgType.VENDOR_CFG)!;
    let reads = 0;
    h.hooks.readConfig = (o, _w, v) => (o === vendor.offset + 6 ? reads++ : v);
    expectFailure(await live.checkVendorDataReads(h.view, h.common.access, () => h.fn.snapshot()), 'repeated reads');
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
