import { describe, expect, it } from 'vitest';
import { DeviceModel, modernNetDescription } from '../../../reference-impl/virtio/index.ts';
import { ReferencePciFunction } from '../../../targets/reference-device.ts';
import { buildConfig, modernCapabilities, modernHeader } from '../../../test-support/device-checks/test-configs.ts';
import { describedDevice } from '../../../test-support/device-checks/test-devices.ts';
import { viewFunction } from './function-view.ts';
import { CommonConfig, commonFieldWidth, type CommonField, FEATURES_A_DEVICE_MAY_REQUIRE, featureText, liveCommonConfig, preferredCapabilities, RESET_POLL_LIMIT } from './live-access.ts';

// VS13 §2.1 device status bits and §6 feature bits: test data from the spec.
const ACKNOWLEDGE = 1;
const DRIVER = 2;
const FEATURES_OK = 8;
const VERSION_1 = 1n << 32n;
const ACCESS_PLATFORM = 1n << 33n;
const ORDER_PLATFORM = 1n << 36n;

describe('common configuration fields (VS13 §4.1.4.3)', () => {
  it('have the widths of the structure', () => {
    const widths: Partial<Record<CommonField, number>> = { deviceFeatureSelect: 4, deviceFeature: 4, driverFeature: 4, configMsixVector: 2, numQueues: 2, deviceStatus: 1, configGeneration: 1, queueSelect: 2, queueSize: 2, queueEnable: 2, queueDesc: 8, queueDriver: 8, queueDevice: 8 };
    for (const [field, width] of Object.entries(widths)) expect(commonFieldWidth(field as CommonField), field).toBe(width);
  });

  it('the features a device may require are VERSION_1, ACCESS_PLATFORM and ORDER_PLATFORM (VS13 §6.2)', () => {
    expect(FEATURES_A_DEVICE_MAY_REQUIRE).toBe(VERSION_1 | ACCESS_PLATFORM | ORDER_PLATFORM);
    expect(CommonConfig.required(VERSION_1 | (1n << 5n) | ORDER_PLATFORM)).toBe(VERSION_1 | ORDER_PLATFORM);
    expect(featureText(VERSION_1 | ACCESS_PLATFORM)).toBe('0x300000000');
  });
});

describe('CommonConfig on a reference device', () => {
  const description = modernNetDescription();

  it('reads the offered features through both windows, and reads back what the driver wrote', async () => {
    const { common } = await describedDevice(description);
    expect(await common.offeredFeatures()).toBe(description.features);
    expect(await common.featureWindow(1)).toBe(Number(description.features >> 32n));
    await common.writeDriverFeatures(VERSION_1 | ACCESS_PLATFORM);
    expect(await common.driverFeatures()).toBe(VERSION_1 | ACCESS_PLATFORM);
  });

  it('negotiates like a driver: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, and reads the status back', async () => {
    const { common } = await describedDevice(description);
    expect(await common.negotiate(CommonConfig.required(description.features))).toBe(ACKNOWLEDGE | DRIVER | FEATURES_OK);
    expect(await common.reset()).toBe(true);
    expect(await common.read('deviceStatus')).toBe(0);
  });

  it('gives up a reset that never completes after a bounded number of reads', async () => {
    const harness = await describedDevice(description);
    let statusReads = 0;
    harness.hooks.readBar = (offset, _width, value) => {
      if (offset !== harness.at('deviceStatus')) return value;
      statusReads += 1;
      return 0x0f;
    };
    expect(await harness.common.reset()).toBe(false);
    expect(statusReads).toBe(RESET_POLL_LIMIT);
    expect(await harness.common.negotiate(VERSION_1)).toBeUndefined();
  });

  it('reads the structure as bytes and shows fields highlighted at their BAR offsets', async () => {
    const { common } = await describedDevice(description);
    const bytes = await common.bytes();
    expect(bytes.length).toBe(64);
    // num_queues at 0x12: the description has three queues.
    expect(bytes[0x12]).toBe(3);
    const evidence = await common.evidence(['queueSelect'], '0', '1');
    expect(evidence).toMatchObject({ kind: 'bytes', space: `bar${common.bar}`, offset: common.base, highlight: [common.base + 0x16, common.base + 0x17], expected: '0', actual: '1' });
  });

  it('caps the structure at the 64 bytes of the layout, and knows which fields a short capability covers', async () => {
    const { common } = await describedDevice(description);
    const short = new CommonConfig(common.access, { ...common.capability, virtio: { ...common.capability.virtio, length: 0x16 } });
    expect(short.has('deviceStatus')).toBe(true);
    expect(short.has('queueSelect')).toBe(false);
    expect(short.length).toBe(0x16);
    const long = new CommonConfig(common.access, { ...common.capability, virtio: { ...common.capability.virtio, length: 0x1000 } });
    expect(long.length).toBe(64);
    expect(long.at('queueDesc', 4)).toBe(common.base + 0x20 + 4);
  });
});

describe('liveCommonConfig', () => {
  const fn = new ReferencePciFunction('net', 'test', new DeviceModel(modernNetDescription()));

  it('finds the common configuration a driver would use', async () => {
    const view = viewFunction(fn.id, await fn.snapshot(), { claimedVirtio: true });
    const common = liveCommonConfig(view, fn, await fn.barSizes());
    expect(common).toBeInstanceOf(CommonConfig);
    expect((common as CommonConfig).capability).toBe(preferredCapabilities(view).get(1));
  });

  it('says why no live check can run: read-only target, no BAR access, no COMMON_CFG, structure past its BAR', async () => {
    const view = viewFunction(fn.id, await fn.snapshot(), { claimedVirtio: true });
    expect(liveCommonConfig(view, { id: 'dump', live: false })).toMatch(/read-only/);
    expect(liveCommonConfig(view, { id: 'half', live: true, readConfig: fn.readConfig.bind(fn) })).toBe('the target offers no BAR access for this function');
    const withoutCommon = viewFunction('f', buildConfig(modernHeader(), modernCapabilities().slice(1)), { claimedVirtio: true });
    expect(liveCommonConfig(withoutCommon, fn)).toMatch(/no usable COMMON_CFG capability/);
    const bar = (preferredCapabilities(view).get(1)!).virtio.bar;
    const sizes = [0, 0, 0, 0, 0, 0];
    sizes[bar] = 0x10;
    expect(liveCommonConfig(view, fn, sizes)).toMatch(new RegExp(`past the 0x10 bytes of BAR${bar}`));
  });
});

describe('preferredCapabilities', () => {
  it('takes the first complete capability of each cfg_type, in list order', () => {
    const capabilities = modernCapabilities();
    const view = viewFunction('f', buildConfig(modernHeader(), [...capabilities, capabilities[0]!]));
    const chosen = preferredCapabilities(view);
    expect([...chosen.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(chosen.get(1)!.offset).toBe(0x40);
  });
});
