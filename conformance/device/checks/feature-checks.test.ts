import { describe, expect, it } from 'vitest';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import type { TargetDeclarations } from './declarations.ts';
import { noDeclarations } from './declarations.ts';
import * as features from './feature-checks.ts';
import { device, type Harness } from '../../../test-support/device-checks/test-devices.ts';
import type { CheckFinding } from './verdict.ts';

// Feature bits as test data (digest §2.2): VERSION_1 is bit 32, ACCESS_PLATFORM 33, SR_IOV 37.
const FEATURES_OK = VirtioDeviceStatus.FEATURES_OK;

function violation(finding: CheckFinding) {
  expect(finding.outcome, JSON.stringify(finding)).toBe('fail');
  if (finding.outcome !== 'fail') throw new Error('unreachable');
  expect(finding.evidence.length).toBeGreaterThan(0);
  return finding.violations[0];
}

/** device_feature shows `window(select, value)` instead of the device's own value. */
function windows(h: Harness, window: (select: number, value: number) => number): void {
  h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') ? window(s.featureSelect >>> 0, v) >>> 0 : v);
}

const declared = (overrides: Partial<TargetDeclarations>): TargetDeclarations => ({ ...noDeclarations, source: 'the test', ...overrides });

describe('PCI-DEV-13 and VIRTIO-DEV-05: feature windows, judged by version', () => {
  it('a virtio 1.4 device with device-type bits in window 2 (bit 64 and up) passes both', async () => {
    const h = await device('net');
    windows(h, (select, value) => (select === 2 ? 0x3 : value));
    expect((await features.checkDeviceFeatureWindows(h.common)).outcome).toBe('pass');
    expect((await features.checkReservedFeatures(h.common, '1.3')).outcome).toBe('pass');
    expect((await features.checkReservedFeatures(h.common, '1.4')).outcome).toBe('pass');
  });

  it('bits a newer version defines (43, SUSPEND in 1.4) are not held against a 1.3 device', async () => {
    const h = await device('net');
    windows(h, (select, value) => (select === 1 ? value | (1 << 11) : value));
    expect((await features.checkReservedFeatures(h.common, '1.3')).outcome).toBe('pass');
  });

  it('VIRTIO-DEV-05 flags an undefined transport bit, bits 44 to 49 and any bit from 128 on', async () => {
    for (const [select, mask, bit] of [
      [0, 1 << 31, 31],
      [1, 1 << 12, 44],
      [4, 1, 128],
      [0xffff_ffff, 1 << 5, 0xffff_ffff * 32 + 5],
    ] as const) {
      const h = await device('net');
      windows(h, (s, value) => (s === select ? value | mask : value));
      expect(violation(await features.checkReservedFeatures(h.common, '1.3'))).toMatchObject({ code: 'reserved-features-offered', bits: [bit], judgedVersion: '1.3' });
    }
  });

  it('PCI-DEV-13 fails a device_feature that lags one select behind', async () => {
    const h = await device('net');
    let shown = 0;
    let pending = 0;
    h.hooks.writeBar = (o, _w, v) => {
      if (o === h.at('deviceFeatureSelect')) {
        shown = pending;
        pending = v;
      }
      return true;
    };
    windows(h, () => (shown === 1 ? 0x3 : 0));
    expect(violation(await features.checkDeviceFeatureWindows(h.common))).toMatchObject({ code: 'feature-window-unstable' });
  });
});

describe('VIRTIO-DEV-04 and VIRTIO-DEV-13: FEATURES_OK', () => {
  it('the reference devices keep FEATURES_OK for valid subsets and refuse an unoffered bit', async () => {
    for (const id of ['net', 'blk', 'iommu', 'fs']) {
      const h = await device(id);
      expect((await features.checkValidSubsetsAccepted(h.common)).outcome).toBe('pass');
      expect((await features.checkUnofferedBitRefused(h.common)).outcome).toBe('pass');
    }
  });

  it('VIRTIO-DEV-04 catches a device that refuses the smallest valid subset', async () => {
    const h = await device('net');
    let select = 0;
    let all = true;
    h.hooks.writeBar = (o, _w, v) => {
      if (o === h.at('driverFeatureSelect')) select = v;
      // The net device offers bit 5 in window 0; refuse any set without it.
      if (o === h.at('driverFeature') && select === 0) all = (v & (1 << 5)) !== 0;
      return true;
    };
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') && !all ? v & ~FEATURES_OK : v);
    expect(violation(await features.checkValidSubsetsAccepted(h.common))).toMatchObject({ code: 'features-ok-refused' });
  });

  it('VIRTIO-DEV-13 finds a device that masks an unoffered bit and keeps FEATURES_OK (QEMU 7.2)', async () => {
    const h = await device('net');
    let asked = false;
    h.hooks.writeBar = (o, _w, v) => {
      if (o === h.at('deviceStatus')) asked = (v & FEATURES_OK) !== 0;
      return true;
    };
    h.hooks.readBar = (o, _w, v) => (o === h.at('deviceStatus') && asked ? v | FEATURES_OK : v);
    expect((await features.checkValidSubsetsAccepted(h.common)).outcome).toBe('pass');
    const finding = await features.checkUnofferedBitRefused(h.common);
    expect(violation(finding)).toMatchObject({ code: 'features-ok-unoffered', bit: 63 });
    expect(finding.condition).toMatch(/§2\.2\.2 .*"otherwise it MUST fail to set the FEATURES_OK".*§3\.1\.1 step 6/);
  });
});

describe('VIRTIO-DEV-11: ACCESS_PLATFORM only where the target declares the condition', () => {
  it('is inapplicable, with the reason, when the target declares neither grants nor an IOMMU', async () => {
    const h = await device('net');
    windows(h, (select, value) => (select === 1 ? value & ~2 : value));
    const finding = await features.checkAccessPlatformOffered(h.common, declared({}));
    expect(finding.outcome).toBe('inapplicable');
    if (finding.outcome === 'inapplicable') expect(finding.note).toMatch(/Xen grants or behind an IOMMU.*iommu_platform=on.*grants=on/);
  });

  it('applies to a declared grant backend or a device behind an IOMMU, and says so in its condition', async () => {
    for (const use of [{ grants: true }, { iommu: true }]) {
      const ok = await device('net');
      const passed = await features.checkAccessPlatformOffered(ok.common, declared(use));
      expect(passed).toMatchObject({ outcome: 'pass', condition: expect.stringMatching(use.grants ? /Xen grant/ : /IOMMU/) });
      const h = await device('net');
      windows(h, (select, value) => (select === 1 ? value & ~2 : value));
      const failed = await features.checkAccessPlatformOffered(h.common, declared(use));
      expect(violation(failed)).toMatchObject({ code: 'feature-missing', feature: { name: 'VIRTIO_F_ACCESS_PLATFORM', bit: 33 } });
      expect(failed.condition).toContain('the test');
    }
  });
});

describe('VIRTIO-DEV-10 and VIRTIO-DEV-12', () => {
  it('fails a modern device without VERSION_1', async () => {
    const h = await device('net');
    windows(h, (select, value) => (select === 1 ? value & ~1 : value));
    expect(violation(await features.checkVersion1Offered(h.view, h.common))).toMatchObject({ code: 'feature-missing', feature: { bit: 32 } });
  });

  it('fails SR_IOV offered by a function without extended capabilities', async () => {
    const h = await device('net');
    expect((await features.checkSrIovOffer(h.view, h.common)).outcome).toBe('pass');
    windows(h, (select, value) => (select === 1 ? value | 0x20 : value));
    expect(violation(await features.checkSrIovOffer(h.view, h.common))).toMatchObject({ code: 'feature-offered', feature: { bit: 37 } });
  });

  it('fails a driver_feature that drops VERSION_1 (PCI-DEV-14)', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('driverFeature') && s.driverSelect === 1 ? v & ~1 : v);
    expect(violation(await features.checkDriverFeatureWindows(h.common))).toMatchObject({ code: 'driver-feature-missing' });
  });
});
