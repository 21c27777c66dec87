/**
 * Live checks: they drive the device through its common configuration structure and the PCI
 * configuration access window, then compare what it shows with what the spec requires. Each takes
 * the function's static view and a {@link CommonConfig}, leaves the device reset, and returns a
 * verdict with the bytes that break the rule.
 */
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { VIRTIO_TRANSPORT_F_END, VIRTIO_TRANSPORT_F_START, VirtioDeviceStatus, VirtioFeatures, VirtioFeaturesBits } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { decodePciMsixCap } from '../../../generated/ts/pci/pci-msix-cap.ts';
import { VIRTIO_PCI_ISR_QUEUE } from '../../../generated/ts/virtio/virtio-pci-isr.ts';
import { capabilitiesOfType, isTransitional, type FunctionView, type VirtioCapabilityAt } from './function-view.ts';
import { capabilityEvidence } from './capability-checks.ts';
import { FEATURE_WINDOW_COUNT, featureText, preferredCapabilities, type CommonConfig, type LiveAccess } from './live-access.ts';
import { EVIDENCE_ROW_BYTES, bytesEvidence, combine, fail, hexNumber, inapplicable, pass, type CheckVerdict } from './verdict.ts';
import type { Evidence } from '../../../generated/ts/schema/results.ts';
import type { AccessWidth } from '../../../targets/device-target.ts';

const QUEUE_SELECT_LIMIT = 0x1_0000;
const SAMPLE_SIZE = 48;
/** Addresses written to queue address fields: page aligned, never used for DMA (no buffers are made available). */
const DUMMY_DESC = 0x1000_0000;
const DUMMY_DRIVER = 0x1000_1000;
const DUMMY_DEVICE = 0x1000_2000;
const ACK_DRIVER = VirtioDeviceStatus.ACKNOWLEDGE | VirtioDeviceStatus.DRIVER;

function text(message: string): Evidence {
  return { kind: 'text', text: message };
}

async function resetOrFail(common: CommonConfig): Promise<CheckVerdict | undefined> {
  if (await common.reset()) return undefined;
  return fail(
    `device_status at BAR${common.bar} offset ${hexNumber(common.at('deviceStatus'))} did not read 0 after a write of 0`,
    await common.evidence(['deviceStatus'], '0', hexNumber(await common.read('deviceStatus'))),
  );
}

/** PCI-DEV-16, VIRTIO-DEV-07: writing 0 to device_status resets the device and it reads 0 afterwards. */
export async function checkReset(common: CommonConfig): Promise<CheckVerdict> {
  await common.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE);
  await common.write('deviceStatus', ACK_DRIVER);
  const before = await common.read('deviceStatus');
  const failed = await resetOrFail(common);
  if (failed) return failed;
  if ((before & ACK_DRIVER) !== ACK_DRIVER) return pass(`device_status read ${hexNumber(before)} after ACKNOWLEDGE|DRIVER; the reset itself completed`);
  return pass();
}

/** The first queue index below num_queues whose queue_size is not 0, or undefined. */
async function firstAvailableQueue(common: CommonConfig): Promise<number | undefined> {
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    if ((await common.read('queueSize')) !== 0) return queue;
  }
  return undefined;
}

/** Sets up the first available queue with dummy addresses and enables it; returns its index, or undefined when there is none. */
async function enableFirstQueue(common: CommonConfig): Promise<number | undefined> {
  const queue = await firstAvailableQueue(common);
  if (queue === undefined) return undefined;
  await common.write('queueSelect', queue);
  await common.writeHalf('queueDesc', 0, DUMMY_DESC);
  await common.writeHalf('queueDesc', 1, 0);
  await common.writeHalf('queueDriver', 0, DUMMY_DRIVER);
  await common.writeHalf('queueDriver', 1, 0);
  await common.writeHalf('queueDevice', 0, DUMMY_DEVICE);
  await common.writeHalf('queueDevice', 1, 0);
  await common.write('queueEnable', 1);
  return queue;
}

/** PCI-DEV-17: after a reset every queue reads queue_enable 0 (queue 0 is enabled first). */
export async function checkQueueEnableAfterReset(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  const status = await common.negotiate(offered);
  if (status === undefined) return (await resetOrFail(common))!;
  const enabled = await enableFirstQueue(common);
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const value = await common.read('queueEnable');
    if (value !== 0) {
      return fail(
        `queue ${queue}: queue_enable at BAR${common.bar} offset ${hexNumber(common.at('queueEnable'))} reads ${value} after reset${queue === enabled ? ' (the queue was enabled before the reset)' : ''}`,
        await common.evidence(['queueSelect', 'queueEnable'], '0', String(value)),
      );
    }
  }
  return pass(enabled !== undefined ? undefined : 'no queue could be enabled first; checked the reset values only');
}

/** PCI-DEV-13: device_feature shows consistent windows 0 and 1, and 0 for selects past the 64 defined bits. */
export async function checkDeviceFeatureWindows(common: CommonConfig): Promise<CheckVerdict> {
  const first = await common.offeredFeatures();
  const second = await common.offeredFeatures();
  if (first !== second) {
    return fail(`device_feature windows read ${featureText(first)} then ${featureText(second)}: the offered features change between reads`, await common.evidence(['deviceFeatureSelect', 'deviceFeature'], featureText(first), featureText(second)));
  }
  for (const select of [FEATURE_WINDOW_COUNT, FEATURE_WINDOW_COUNT + 1, 0xff, 0xffff_ffff]) {
    await common.write('deviceFeatureSelect', select);
    const value = (await common.read('deviceFeature')) >>> 0;
    if (value !== 0) {
      return fail(
        `device_feature reads ${hexNumber(value)} with device_feature_select ${hexNumber(select)}: no feature bit beyond 63 is defined, so the window must read 0`,
        await common.evidence(['deviceFeatureSelect', 'deviceFeature'], '0', hexNumber(value)),
      );
    }
  }
  await common.write('deviceFeatureSelect', 0);
  return pass();
}

/** PCI-DEV-14: driver_feature reads back, per window, the valid (offered) bits the driver wrote. */
export async function checkDriverFeatureWindows(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  const failed = await resetOrFail(common);
  if (failed) return failed;
  await common.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE);
  await common.write('deviceStatus', ACK_DRIVER);
  await common.writeDriverFeatures(offered);
  const readBack = await common.driverFeatures();
  await common.reset();
  if ((readBack & offered) !== offered) {
    return fail(
      `driver_feature reads ${featureText(readBack)} after the driver wrote the offered set ${featureText(offered)}: bits ${featureText(offered & ~readBack)} are missing`,
      await common.evidence(['driverFeatureSelect', 'driverFeature'], featureText(offered), featureText(readBack)),
    );
  }
  return pass();
}

/** The highest feature bit below 64 the device does not offer. */
function unofferedBit(offered: bigint): bigint | undefined {
  for (let bit = 63n; bit >= 0n; bit--) if ((offered & (1n << bit)) === 0n) return 1n << bit;
  return undefined;
}

/**
 * VIRTIO-DEV-04 (and VIRTIO-DEV-06): FEATURES_OK stays set for a valid subset (the offered set, and
 * again after a reset) and is refused when the driver accepts a feature the device did not offer.
 */
export async function checkFeaturesOk(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  const valid = await common.negotiate(offered);
  if (valid === undefined) return (await resetOrFail(common))!;
  const verdicts: CheckVerdict[] = [];
  if ((valid & VirtioDeviceStatus.FEATURES_OK) === 0) {
    verdicts.push(fail(`FEATURES_OK was not kept for the offered feature set ${featureText(offered)} (device_status reads ${hexNumber(valid)})`, await common.evidence(['deviceStatus'], 'FEATURES_OK set', hexNumber(valid))));
  }
  const extra = unofferedBit(offered);
  if (extra !== undefined) {
    const invalid = await common.negotiate(offered | extra);
    if (invalid !== undefined && (invalid & VirtioDeviceStatus.FEATURES_OK) !== 0) {
      verdicts.push(
        fail(
          `FEATURES_OK stayed set although the driver accepted bit ${extra.toString(2).length - 1}, which the device does not offer (device_status ${hexNumber(invalid)})`,
          await common.evidence(['deviceStatus', 'driverFeature'], 'FEATURES_OK clear', hexNumber(invalid)),
        ),
      );
    }
  }
  await common.reset();
  return combine(verdicts.length > 0 ? verdicts : [pass()], '');
}

/** VIRTIO-DEV-06: after a reset the device accepts again the feature set it accepted before. */
export async function checkRenegotiation(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  const first = await common.negotiate(offered);
  if (first === undefined || (first & VirtioDeviceStatus.FEATURES_OK) === 0) {
    await common.reset();
    return inapplicable('the device did not accept the offered feature set the first time (see VIRTIO-DEV-04)');
  }
  const again = await common.negotiate(offered);
  await common.reset();
  if (again === undefined || (again & VirtioDeviceStatus.FEATURES_OK) === 0) {
    return fail(`after a reset the device refused FEATURES_OK for ${featureText(offered)}, the set it accepted before`, await common.evidence(['deviceStatus'], 'FEATURES_OK set', hexNumber(again ?? 0)));
  }
  return pass();
}

/** VIRTIO-DEV-10: a non-transitional device offers VERSION_1. */
export async function checkVersion1Offered(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  if (isTransitional(view)) return inapplicable('transitional device: may serve legacy drivers without VERSION_1');
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.VERSION_1) !== 0n) return pass();
  return fail(`device offers ${featureText(offered)} without VIRTIO_F_VERSION_1 (bit ${VirtioFeaturesBits.VERSION_1})`, await common.evidence(['deviceFeature'], 'bit 32 set', featureText(offered)));
}

/** VIRTIO-DEV-11: a device used with Xen grant mappings offers ACCESS_PLATFORM (SHOULD). */
export async function checkAccessPlatformOffered(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.ACCESS_PLATFORM) !== 0n) return pass();
  return fail(
    `device offers ${featureText(offered)} without VIRTIO_F_ACCESS_PLATFORM (bit ${VirtioFeaturesBits.ACCESS_PLATFORM}): a Xen guest cannot use it with grant mappings`,
    await common.evidence(['deviceFeature'], 'bit 33 set', featureText(offered)),
  );
}

/** VIRTIO-DEV-05: no offered bit in the transport range is one the spec leaves undefined. */
export async function checkReservedFeatures(common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  const defined = new Set<number>(Object.values(VirtioFeaturesBits));
  const reserved: number[] = [];
  for (let bit = VIRTIO_TRANSPORT_F_START; bit < VIRTIO_TRANSPORT_F_END; bit++) {
    if ((offered & (1n << BigInt(bit))) !== 0n && !defined.has(bit)) reserved.push(bit);
  }
  if (reserved.length === 0) return pass();
  return fail(`device offers reserved transport feature bit(s) ${reserved.join(', ')} (offered ${featureText(offered)})`, await common.evidence(['deviceFeature'], 'no reserved bits', featureText(offered)));
}

/**
 * PCI-DEV-20: queue_size reads 0 for every queue_select at or past num_queues. With `exhaustive`,
 * every value up to 0xFFFF; otherwise the boundaries plus a fixed sample (`sampleSeed`).
 */
export async function checkUnavailableQueues(common: CommonConfig, exhaustive: boolean, sampleSeed = 1): Promise<CheckVerdict> {
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  let selects: number[];
  if (exhaustive) {
    selects = Array.from({ length: QUEUE_SELECT_LIMIT - queues }, (_, i) => queues + i);
  } else {
    const set = new Set<number>([queues, queues + 1, queues + 2, 0x7fff, 0x8000, 0xfffe, 0xffff].filter((q) => q < QUEUE_SELECT_LIMIT));
    let state = sampleSeed >>> 0 || 1;
    while (set.size < SAMPLE_SIZE && queues < QUEUE_SELECT_LIMIT - SAMPLE_SIZE) {
      // xorshift32: a reproducible sample without Math.random.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      set.add(queues + (state % (QUEUE_SELECT_LIMIT - queues)));
    }
    selects = [...set].sort((a, b) => a - b);
  }
  for (const select of selects) {
    await common.write('queueSelect', select);
    const size = await common.read('queueSize');
    if (size !== 0) {
      await common.write('queueSelect', 0);
      return fail(
        `queue_select ${hexNumber(select)} (num_queues ${queues}) reads queue_size ${size} at BAR${common.bar} offset ${hexNumber(common.at('queueSize'))}, not 0`,
        await common.evidence(['queueSelect', 'queueSize'], '0', String(size)),
      );
    }
  }
  await common.write('queueSelect', 0);
  return pass(exhaustive ? `all ${selects.length} selects from ${queues} to 0xffff` : `${selects.length} selects: boundaries and a sample (seed ${sampleSeed})`);
}

/** PCI-DEV-21: without RING_PACKED negotiated (nothing is after a reset), each queue_size is 0 or a power of two. */
export async function checkQueueSizes(common: CommonConfig): Promise<CheckVerdict> {
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const size = await common.read('queueSize');
    if (size !== 0 && (size & (size - 1)) !== 0) {
      return fail(`queue ${queue}: queue_size ${size} is neither 0 nor a power of two`, await common.evidence(['queueSelect', 'queueSize'], '0 or a power of two', String(size)));
    }
  }
  return queues === 0 ? inapplicable('num_queues is 0') : pass();
}

/** PCI-DEV-27: every queue's notify address plus the notification width lies inside the notify structure. */
export async function checkNotifyBounds(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const notify = preferredCapabilities(view).get(VirtioPciCfgType.NOTIFY_CFG);
  if (notify === undefined) return inapplicable('no usable notify capability (see PCI-DEV-23)');
  const offered = await common.offeredFeatures();
  const width = (offered & VirtioFeatures.NOTIFICATION_DATA) !== 0n ? 4 : 2;
  const multiplier = notify.virtio.notifyOffMultiplier ?? 0;
  const length = Number(notify.virtio.length);
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const off = await common.read('queueNotifyOff');
    if (off * multiplier + width > length) {
      return fail(
        `queue ${queue}: queue_notify_off ${off} x notify_off_multiplier ${multiplier} + ${width} = ${off * multiplier + width} exceeds the notify length ${length} (capability at ${hexNumber(notify.offset)})`,
        capabilityEvidence(view, notify, VIRTIO_PCI_CAP_OFFSETS.length, 4, `>= ${off * multiplier + width}`, String(length)),
        await common.evidence(['queueSelect', 'queueNotifyOff'], `<= ${Math.floor((length - width) / Math.max(1, multiplier))}`, String(off)),
      );
    }
  }
  await common.write('queueSelect', 0);
  return queues === 0 ? inapplicable('num_queues is 0') : pass();
}

/** Indexes below `queues` whose queue_size is not 0. */
async function availableQueues(common: CommonConfig, queues: number): Promise<number[]> {
  const available: number[] = [];
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    if ((await common.read('queueSize')) !== 0) available.push(queue);
  }
  return available;
}

/** The MSI-X table size of the function, or undefined without MSI-X. */
function msixVectors(view: FunctionView): number | undefined {
  const msix = view.walk.capabilities.find((capability) => capability.id === PciCapId.MSIX);
  return msix === undefined ? undefined : decodePciMsixCap(view.config, msix.offset).value.tableSize + 1;
}

/** PCI-DEV-50: after a reset config_msix_vector and every queue_msix_vector read NO_VECTOR (mapped before the reset). */
export async function checkVectorsAfterReset(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const vectors = msixVectors(view);
  if (vectors === undefined) return inapplicable('the device has no MSI-X capability');
  const queues = await common.read('numQueues');
  await common.write('configMsixVector', 0);
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    await common.write('queueMsixVector', queue % vectors);
  }
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const config = await common.read('configMsixVector');
  if (config !== VIRTIO_MSI_NO_VECTOR) {
    return fail(`config_msix_vector reads ${hexNumber(config)} after reset, not NO_VECTOR`, await common.evidence(['configMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(config)));
  }
  for (const queue of await availableQueues(common, queues)) {
    await common.write('queueSelect', queue);
    const value = await common.read('queueMsixVector');
    if (value !== VIRTIO_MSI_NO_VECTOR) {
      return fail(`queue ${queue}: queue_msix_vector reads ${hexNumber(value)} after reset, not NO_VECTOR`, await common.evidence(['queueSelect', 'queueMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(value)));
    }
  }
  return pass();
}

/**
 * PCI-DEV-48/49: any event maps to any valid vector and reads it back; writing NO_VECTOR unmaps and
 * reads back NO_VECTOR.
 */
export async function checkVectorMapping(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const vectors = msixVectors(view);
  if (vectors === undefined) return inapplicable('the device has no MSI-X capability');
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  const events: { name: string; queue?: number }[] = [{ name: 'config' }];
  // An unavailable queue (queue_size 0) raises no events, so there is nothing to map for it.
  for (const queue of await availableQueues(common, queues)) events.push({ name: `queue ${queue}`, queue });
  for (const event of events) {
    const field = event.queue === undefined ? 'configMsixVector' : 'queueMsixVector';
    for (const vector of [...new Set([0, vectors - 1, (event.queue ?? 0) % vectors])].concat([VIRTIO_MSI_NO_VECTOR])) {
      if (event.queue !== undefined) await common.write('queueSelect', event.queue);
      await common.write(field, vector);
      const back = await common.read(field);
      if (back !== vector) {
        await common.reset();
        return fail(
          `${event.name}: wrote vector ${hexNumber(vector)} (table of ${vectors}) to ${field === 'configMsixVector' ? 'config_msix_vector' : 'queue_msix_vector'} and read back ${hexNumber(back)}`,
          await common.evidence(event.queue === undefined ? [field] : ['queueSelect', field], hexNumber(vector), hexNumber(back)),
        );
      }
    }
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-51: a mapping that cannot be done (a vector past the table) reads back NO_VECTOR. */
export async function checkVectorRefusal(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const vectors = msixVectors(view);
  if (vectors === undefined) return inapplicable('the device has no MSI-X capability');
  const failed = await resetOrFail(common);
  if (failed) return failed;
  await common.write('configMsixVector', vectors);
  const back = await common.read('configMsixVector');
  await common.reset();
  if (back === VIRTIO_MSI_NO_VECTOR) return pass();
  return fail(
    `config_msix_vector: mapping to vector ${hexNumber(vectors)}, past the ${vectors}-entry table, read back ${hexNumber(back)} instead of NO_VECTOR`,
    await common.evidence(['configMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(back)),
  );
}

/** PCI-DEV-08: each 32-bit half of queue_desc is written and read on its own without touching the other. */
export async function checkSixtyFourBitHalves(common: CommonConfig): Promise<CheckVerdict> {
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queue = await firstAvailableQueue(common);
  if (queue === undefined) return inapplicable('no available queue: no queue address field to write');
  await common.write('queueSelect', queue);
  const steps: { half: 0 | 1; value: number }[] = [
    { half: 0, value: 0x1234_5000 },
    { half: 1, value: 0x0000_0001 },
    { half: 0, value: 0x0000_2000 },
    { half: 1, value: 0x0000_0002 },
  ];
  const expected = [0, 0];
  for (const step of steps) {
    await common.writeHalf('queueDesc', step.half, step.value);
    expected[step.half] = step.value;
    const low = await common.readHalf('queueDesc', 0);
    const high = await common.readHalf('queueDesc', 1);
    if (low >>> 0 !== expected[0] || high >>> 0 !== expected[1]) {
      const evidence = await common.evidence(['queueDesc'], `${hexNumber(expected[1]!)}:${hexNumber(expected[0]!)}`, `${hexNumber(high)}:${hexNumber(low)}`);
      await common.reset();
      return fail(`queue ${queue}: queue_desc at BAR${common.bar} offset ${hexNumber(common.at('queueDesc'))}: after writing ${hexNumber(step.value)} to the ${step.half === 0 ? 'low' : 'high'} half it reads high:low ${hexNumber(high)}:${hexNumber(low)}`, evidence);
    }
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-32: a read of ISR status returns it and clears it. Needs a way to set an ISR bit first. */
export async function checkIsrReadClears(view: FunctionView, access: LiveAccess, raise?: () => void): Promise<CheckVerdict> {
  const isr = preferredCapabilities(view).get(VirtioPciCfgType.ISR_CFG);
  if (isr === undefined) return inapplicable('no usable ISR capability (see PCI-DEV-28)');
  raise?.();
  const bar = isr.virtio.bar;
  const at = Number(isr.virtio.offset);
  const first = await access.readBar(bar, at, 1);
  if (first === 0) return inapplicable(raise === undefined ? 'ISR reads 0 and xvc cannot make this device set it' : 'ISR read 0 even after the device signalled used buffers');
  if (raise !== undefined && (first & VIRTIO_PCI_ISR_QUEUE) === 0) {
    return fail(`ISR at BAR${bar} offset ${hexNumber(at)} reads ${hexNumber(first)} after a used-buffer notification, without the queue bit`, bytesEvidence(access.id, `bar${bar}`, imageOf(at, [first]), at, 1, [at], 'queue bit set', hexNumber(first)));
  }
  const second = await access.readBar(bar, at, 1);
  if (second === 0) return pass();
  return fail(`ISR at BAR${bar} offset ${hexNumber(at)} read ${hexNumber(first)} and then ${hexNumber(second)}: the first read did not clear it`, bytesEvidence(access.id, `bar${bar}`, imageOf(at, [second]), at, 1, [at], '0', hexNumber(second)));
}

function imageOf(at: number, bytes: readonly number[]): Uint8Array {
  const image = new Uint8Array(at + bytes.length);
  image.set(bytes, at);
  return image;
}

/** PCI-DEV-15: config_generation changes once the device changed device configuration that the driver then reads. */
export async function checkConfigGeneration(view: FunctionView, common: CommonConfig, change?: (offset: number, bytes: Uint8Array) => boolean): Promise<CheckVerdict> {
  if (change === undefined) return inapplicable('xvc cannot make this device change its device configuration');
  const device = preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG);
  if (device === undefined || Number(device.virtio.length) === 0) return inapplicable('the device has no device-specific configuration');
  const bar = device.virtio.bar;
  const at = Number(device.virtio.offset);
  const before = await common.read('configGeneration');
  const value = await common.access.readBar(bar, at, 1);
  if (!change(0, Uint8Array.of(value ^ 0xff))) return inapplicable('the device-side change did not alter any byte');
  await common.access.readBar(bar, at, 1);
  const after = await common.read('configGeneration');
  if (after !== before) return pass();
  return fail(`config_generation stayed ${before} after device configuration byte 0 changed and was read again`, await common.evidence(['configGeneration'], `not ${before}`, String(after)));
}

/** VIRTIO-DEV-09: every device-configuration byte is readable before FEATURES_OK, and reading it does not make the device need a reset. */
export async function checkDeviceConfigBeforeFeaturesOk(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const device = preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG);
  if (device === undefined) return inapplicable('the device has no device-specific configuration capability');
  const failed = await resetOrFail(common);
  if (failed) return failed;
  await common.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE);
  await common.write('deviceStatus', ACK_DRIVER);
  const length = Math.min(Number(device.virtio.length), 0x1000);
  for (let offset = 0; offset < length; offset++) await common.access.readBar(device.virtio.bar, Number(device.virtio.offset) + offset, 1);
  const status = await common.read('deviceStatus');
  await common.reset();
  if ((status & VirtioDeviceStatus.DEVICE_NEEDS_RESET) !== 0 || (status & ACK_DRIVER) !== ACK_DRIVER) {
    return fail(`after reading the ${length} device-configuration bytes before FEATURES_OK, device_status reads ${hexNumber(status)}`, await common.evidence(['deviceStatus'], hexNumber(ACK_DRIVER), hexNumber(status)));
  }
  return pass();
}

/** PCI-DEV-40: reading vendor data capabilities changes nothing in config space. */
export async function checkVendorDataReads(view: FunctionView, access: LiveAccess, snapshot: () => Promise<Uint8Array>): Promise<CheckVerdict> {
  const caps = capabilitiesOfType(view, VirtioPciCfgType.VENDOR_CFG);
  if (caps.length === 0) return inapplicable('the device has no vendor data capability');
  const before = await snapshot();
  const reads: number[][] = [];
  for (let round = 0; round < 3; round++) {
    const values: number[] = [];
    for (const capability of caps) for (let i = 0; i < capability.capLen; i++) values.push(await access.readConfig(capability.offset + i, 1));
    reads.push(values);
  }
  const after = await snapshot();
  const changed = before.findIndex((byte, i) => after[i] !== byte);
  if (changed >= 0) {
    return fail(`config byte ${hexNumber(changed)} changed from ${hexNumber(before[changed]!)} to ${hexNumber(after[changed]!)} while vendor data was read`, bytesEvidence(access.id, 'config', after, changed - (changed % EVIDENCE_ROW_BYTES), EVIDENCE_ROW_BYTES, [changed], hexNumber(before[changed]!), hexNumber(after[changed]!)));
  }
  const unstable = reads[0]!.findIndex((value, i) => reads.some((round) => round[i] !== value));
  if (unstable >= 0) return fail(`vendor data byte ${unstable} reads differently on repeated reads`, text(JSON.stringify(reads.map((round) => round[unstable]))));
  return pass();
}

/** A structure the window test reads: its capability, and how many bytes to compare. */
interface WindowTarget {
  capability: VirtioCapabilityAt;
  bytes: number;
}

const WINDOW_COMPARE_BYTES = 16;

/** Programs the PCI_CFG window (bar, length, offset) through config writes. */
async function programWindow(access: LiveAccess, window: VirtioCapabilityAt, bar: number, length: AccessWidth, offset: number): Promise<void> {
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1, bar);
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4, length);
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4, offset);
}

async function windowEvidence(access: LiveAccess, view: FunctionView, window: VirtioCapabilityAt, expected: string, actual: string): Promise<Evidence> {
  const bytes = new Uint8Array(view.config.length);
  for (let i = 0; i < window.capLen && window.offset + i < bytes.length; i++) bytes[window.offset + i] = await access.readConfig(window.offset + i, 1);
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  return bytesEvidence(access.id, 'config', bytes, window.offset, window.capLen, [window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, data, data + 1, data + 2, data + 3], expected, actual);
}

/**
 * PCI-DEV-43: reads through the PCI configuration access window (bar, length 1/2/4, offset) return
 * what direct BAR reads return, for the common and device configuration of every BAR they sit in.
 */
export async function checkWindowReads(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const window = preferredCapabilities(view).get(VirtioPciCfgType.PCI_CFG);
  if (window === undefined) return inapplicable('no usable PCI_CFG capability (see PCI-DEV-41)');
  const access = common.access;
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const targets: WindowTarget[] = [];
  for (const cfgType of [VirtioPciCfgType.COMMON_CFG, VirtioPciCfgType.DEVICE_CFG]) {
    const capability = preferredCapabilities(view).get(cfgType);
    if (capability !== undefined && Number(capability.virtio.length) > 0) targets.push({ capability, bytes: Math.min(WINDOW_COMPARE_BYTES, Number(capability.virtio.length)) });
  }
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  for (const target of targets) {
    const bar = target.capability.virtio.bar;
    const base = Number(target.capability.virtio.offset);
    for (const width of [4, 2, 1] as const) {
      for (let rel = 0; rel + width <= target.bytes; rel += width) {
        const direct = await access.readBar(bar, base + rel, width);
        await programWindow(access, window, bar, width, base + rel);
        const barBack = await access.readConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1);
        if (barBack !== bar) {
          return fail(`PCI_CFG capability at ${hexNumber(window.offset)}: the driver-writable bar field reads ${barBack} after ${bar} was written`, await windowEvidence(access, view, window, String(bar), String(barBack)));
        }
        const through = await access.readConfig(data, width);
        if (through !== direct) {
          return fail(
            `PCI_CFG window (bar ${bar}, length ${width}, offset ${hexNumber(base + rel)}) reads ${hexNumber(through)} at config ${hexNumber(data)}; a direct BAR${bar} read gives ${hexNumber(direct)}`,
            await windowEvidence(access, view, window, hexNumber(direct), hexNumber(through)),
          );
        }
      }
    }
  }
  return targets.length === 0 ? inapplicable('no common or device configuration to read through the window') : pass();
}

/** PCI-DEV-42: writes through the window reach the BAR (device_feature_select, 4 bytes; queue_select, 2 bytes). */
export async function checkWindowWrites(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const window = preferredCapabilities(view).get(VirtioPciCfgType.PCI_CFG);
  if (window === undefined) return inapplicable('no usable PCI_CFG capability (see PCI-DEV-41)');
  const access = common.access;
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  const writes: { field: 'deviceFeatureSelect' | 'queueSelect'; width: AccessWidth; value: number }[] = [
    { field: 'deviceFeatureSelect', width: 4, value: 1 },
    { field: 'queueSelect', width: 2, value: 1 },
  ];
  for (const write of writes) {
    await common.write(write.field, 0);
    await programWindow(access, window, common.bar, write.width, common.at(write.field));
    await access.writeConfig(data, write.width, write.value);
    const direct = await common.read(write.field);
    await common.write(write.field, 0);
    if (direct !== write.value) {
      return fail(
        `writing ${write.value} to pci_cfg_data (bar ${common.bar}, length ${write.width}, offset ${hexNumber(common.at(write.field))}) left ${write.field} reading ${direct} directly`,
        await windowEvidence(access, view, window, String(write.value), String(direct)),
        await common.evidence([write.field], String(write.value), String(direct)),
      );
    }
  }
  return pass();
}

/** Negotiates `feature` with VERSION_1; inapplicable text when it is not offered or not accepted. */
async function negotiateFeature(common: CommonConfig, feature: bigint, name: string): Promise<string | undefined> {
  const offered = await common.offeredFeatures();
  if ((offered & feature) === 0n) return `the device does not offer ${name}`;
  const status = await common.negotiate((offered & VirtioFeatures.VERSION_1) | feature);
  if (status === undefined || (status & VirtioDeviceStatus.FEATURES_OK) === 0) return `the device did not accept ${name} with VERSION_1 (see VIRTIO-DEV-04)`;
  return undefined;
}

/** PCI-DEV-18: with RING_RESET negotiated, queue_reset reads 0 after reset and after the queue is enabled. */
export async function checkQueueResetIdle(common: CommonConfig): Promise<CheckVerdict> {
  if (!common.has('queueReset')) return inapplicable('the common configuration structure is too short for queue_reset');
  const skip = await negotiateFeature(common, VirtioFeatures.RING_RESET, 'RING_RESET');
  if (skip !== undefined) return inapplicable(skip);
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const value = await common.read('queueReset');
    if (value !== 0) return fail(`queue ${queue}: queue_reset reads ${value} after reset`, await common.evidence(['queueSelect', 'queueReset'], '0', String(value)));
  }
  const enabled = await enableFirstQueue(common);
  if (enabled !== undefined) {
    const value = await common.read('queueReset');
    if (value !== 0) return fail(`queue ${enabled}: queue_reset reads ${value} after the queue was enabled`, await common.evidence(['queueSelect', 'queueReset'], '0', String(value)));
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-19: with RING_RESET negotiated, writing 1 to queue_reset resets the queue; it then reads 0 and so does queue_enable. */
export async function checkQueueReset(common: CommonConfig): Promise<CheckVerdict> {
  if (!common.has('queueReset')) return inapplicable('the common configuration structure is too short for queue_reset');
  const skip = await negotiateFeature(common, VirtioFeatures.RING_RESET, 'RING_RESET');
  if (skip !== undefined) return inapplicable(skip);
  const queue = await enableFirstQueue(common);
  if (queue === undefined) {
    await common.reset();
    return inapplicable('no queue is available');
  }
  await common.write('queueReset', 1);
  let value = 1;
  for (let poll = 0; poll < 1000 && value !== 0; poll++) value = await common.read('queueReset');
  const enable = await common.read('queueEnable');
  const evidence = await common.evidence(['queueReset', 'queueEnable'], '0 and 0', `${value} and ${enable}`);
  await common.reset();
  if (value !== 0) return fail(`queue ${queue}: queue_reset never read 0 after a queue reset was requested`, evidence);
  if (enable !== 0) return fail(`queue ${queue}: queue_enable reads ${enable} after the queue reset completed`, evidence);
  return pass();
}

/** PCI-DEV-22: with ADMIN_VQ negotiated, admin_queue_index >= num_queues and admin_queue_num <= 0x10000 - index. */
export async function checkAdminQueues(common: CommonConfig): Promise<CheckVerdict> {
  if (!common.has('adminQueueNum')) return inapplicable('the common configuration structure is too short for the admin queue fields');
  const skip = await negotiateFeature(common, VirtioFeatures.ADMIN_VQ, 'ADMIN_VQ');
  if (skip !== undefined) return inapplicable(skip);
  const queues = await common.read('numQueues');
  const index = await common.read('adminQueueIndex');
  const count = await common.read('adminQueueNum');
  const evidence = await common.evidence(['numQueues', 'adminQueueIndex', 'adminQueueNum'], 'index >= num_queues, num <= 0x10000 - index', `${queues}, ${index}, ${count}`);
  await common.reset();
  if (index < queues) return fail(`admin_queue_index ${index} is below num_queues ${queues}`, evidence);
  if (count > QUEUE_SELECT_LIMIT - index) return fail(`admin_queue_num ${count} exceeds 0x10000 - admin_queue_index ${index}`, evidence);
  return pass();
}

/**
 * VIRTIO-DEV-12: SR_IOV is offered only by a PCI Express function with an SR-IOV capability. The
 * generated layouts name no SR-IOV extended capability ID, so an offer is judged only where it is
 * certainly wrong: a function without any extended capability cannot have one.
 */
export async function checkSrIovOffer(view: FunctionView, common: CommonConfig): Promise<CheckVerdict> {
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.SR_IOV) === 0n) return pass('SR_IOV not offered (whether an SR-IOV capability exists, which would call for offering it, is not checked)');
  if (view.walk.extended.length === 0) {
    return fail(
      `device offers VIRTIO_F_SR_IOV (bit ${VirtioFeaturesBits.SR_IOV}) but has no extended capabilities, so no SR-IOV capability`,
      await common.evidence(['deviceFeatureSelect', 'deviceFeature'], 'bit 37 clear', featureText(offered)),
    );
  }
  return inapplicable('SR_IOV offered alongside extended capabilities; xvc has no SR-IOV capability ID in its layouts to confirm one');
}
