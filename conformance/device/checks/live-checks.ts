/**
 * Live checks of reset, virtqueues, MSI-X vectors, ISR, configuration generation and the feature-
 * dependent queue registers: they drive the device through its common configuration structure, then
 * compare what it shows with what the spec requires. Each takes the function's static view and a
 * {@link CommonConfig}, leaves the device reset, and returns a finding with the bytes that show it.
 * Feature negotiation is in feature-checks.ts, the PCI_CFG window in window-checks.ts.
 */
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { VirtioDeviceStatus, VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { decodePciMsixCap } from '../../../generated/ts/pci/pci-msix-cap.ts';
import { VIRTIO_PCI_ISR_QUEUE } from '../../../generated/ts/virtio/virtio-pci-isr.ts';
import { capabilitiesOfType, type FunctionView } from './function-view.ts';
import { capabilityEvidence } from './capability-checks.ts';
import { CommonConfig, preferredCapabilities, RESET_POLL_LIMIT, type LiveAccess } from './live-access.ts';
import { combine, fail, hexNumber, inapplicable, pass, regionEvidence, withCondition, type CheckFinding } from './verdict.ts';

const QUEUE_SELECT_LIMIT = 0x1_0000;
const SAMPLE_SIZE = 48;
/** Addresses written to queue address fields: page aligned, never used for DMA (no buffers are made available). */
const DUMMY_DESC = 0x1000_0000;
const DUMMY_DRIVER = 0x1000_1000;
const DUMMY_DEVICE = 0x1000_2000;
const ACK_DRIVER = VirtioDeviceStatus.ACKNOWLEDGE | VirtioDeviceStatus.DRIVER;

async function resetOrFail(common: CommonConfig): Promise<CheckFinding | undefined> {
  if (await common.reset()) return undefined;
  const status = await common.read('deviceStatus');
  return fail({ code: 'reset-incomplete', status, polls: RESET_POLL_LIMIT }, await common.evidence(['deviceStatus'], '0', hexNumber(status)));
}

/** PCI-DEV-16, VIRTIO-DEV-07: writing 0 to device_status resets the device and it reads 0 afterwards. */
export async function checkReset(common: CommonConfig): Promise<CheckFinding> {
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
export async function checkQueueEnableAfterReset(common: CommonConfig): Promise<CheckFinding> {
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
        { code: 'queue-enable-after-reset', queue, value, wasEnabled: queue === enabled },
        await common.evidence(['queueSelect', 'queueEnable'], '0', String(value)),
      );
    }
  }
  return pass(enabled !== undefined ? undefined : 'no queue could be enabled first; checked the reset values only');
}

/** queue_select values a device is most likely to mishandle: just past num_queues, 1024 (QEMU's queue limit), the sign bit and the top. */
function boundarySelects(queues: number): number[] {
  return [queues, queues + 1, queues + 2, 0x3ff, 0x400, 0x401, 0x7fff, 0x8000, 0xfffe, 0xffff].filter((select) => select >= queues && select < QUEUE_SELECT_LIMIT);
}

/**
 * PCI-DEV-20: queue_size reads 0 for every queue_select at or past num_queues. Before each such
 * select an available queue is selected, so a device that drops an out-of-range select and keeps
 * showing the previous queue (QEMU 7.2 does so for selects of 1024 and up) is caught. With
 * `exhaustive`, every value up to 0xFFFF; otherwise the boundaries plus a fixed sample (`sampleSeed`).
 */
export async function checkUnavailableQueues(common: CommonConfig, exhaustive: boolean, sampleSeed = 1): Promise<CheckFinding> {
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  const valid = await firstAvailableQueue(common);
  let selects: number[];
  if (exhaustive) {
    selects = Array.from({ length: QUEUE_SELECT_LIMIT - queues }, (_, i) => queues + i);
  } else {
    const set = new Set<number>(boundarySelects(queues));
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
    if (valid !== undefined) await common.write('queueSelect', valid);
    await common.write('queueSelect', select);
    const size = await common.read('queueSize');
    if (size !== 0) {
      const selectReadBack = await common.read('queueSelect');
      const evidence = await common.evidence(['queueSelect', 'queueSize'], '0', String(size));
      await common.write('queueSelect', 0);
      const before = valid === undefined ? '' : ` right after queue ${valid}`;
      return withCondition(
        fail({ code: 'queue-size-unavailable', select, queues, size, selectReadBack, ...(valid === undefined ? {} : { previous: valid }) }, evidence),
        `the driver wrote ${hexNumber(select)} to queue_select${before}, a queue the device does not have (num_queues ${queues}); VS13 §4.1.4.3.1 wants queue_size 0 "if the virtqueue corresponding to the current queue_select is unavailable"`,
      );
    }
  }
  await common.write('queueSelect', 0);
  const before = valid === undefined ? 'no queue is available to select before' : `queue ${valid} selected before each`;
  return pass(exhaustive ? `all ${selects.length} selects from ${queues} to 0xffff, ${before}` : `${selects.length} selects (boundaries and a sample, seed ${sampleSeed}), ${before}`);
}

/** PCI-DEV-21: without RING_PACKED negotiated (nothing is after a reset), each queue_size is 0 or a power of two. */
export async function checkQueueSizes(common: CommonConfig): Promise<CheckFinding> {
  const failed = await resetOrFail(common);
  if (failed) return failed;
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const size = await common.read('queueSize');
    if (size !== 0 && (size & (size - 1)) !== 0) {
      return fail({ code: 'queue-size-not-power-of-two', queue, size }, await common.evidence(['queueSelect', 'queueSize'], '0 or a power of two', String(size)));
    }
  }
  return queues === 0 ? inapplicable('num_queues is 0') : pass();
}

/** PCI-DEV-27: for every notification capability, every queue's notify address plus the notification width lies inside its structure. */
export async function checkNotifyBounds(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  const notifies = capabilitiesOfType(view, VirtioPciCfgType.NOTIFY_CFG).filter((capability) => !capability.virtio.reserved);
  if (notifies.length === 0) return inapplicable('no usable notify capability (see PCI-DEV-23)');
  const offered = await common.offeredFeatures();
  const width = (offered & VirtioFeatures.NOTIFICATION_DATA) !== 0n ? 4 : 2;
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const off = await common.read('queueNotifyOff');
    for (const notify of notifies) {
      const multiplier = notify.virtio.notifyOffMultiplier ?? 0;
      const length = Number(notify.virtio.length);
      if (off * multiplier + width > length) {
        const evidence = await common.evidence(['queueSelect', 'queueNotifyOff'], `<= ${Math.floor((length - width) / Math.max(1, multiplier))}`, String(off));
        await common.write('queueSelect', 0);
        return fail(
          { code: 'notify-out-of-bounds', queue, notifyOff: off, multiplier, width, length, capability: notify.offset },
          capabilityEvidence(view, notify, VIRTIO_PCI_CAP_OFFSETS.length, 4, `>= ${off * multiplier + width}`, String(length)),
          evidence,
        );
      }
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
export async function checkVectorsAfterReset(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
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
    return fail({ code: 'vector-after-reset', field: 'config_msix_vector', value: config, expected: VIRTIO_MSI_NO_VECTOR }, await common.evidence(['configMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(config)));
  }
  for (const queue of await availableQueues(common, queues)) {
    await common.write('queueSelect', queue);
    const value = await common.read('queueMsixVector');
    if (value !== VIRTIO_MSI_NO_VECTOR) {
      return fail(
        { code: 'vector-after-reset', field: 'queue_msix_vector', queue, value, expected: VIRTIO_MSI_NO_VECTOR },
        await common.evidence(['queueSelect', 'queueMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(value)),
      );
    }
  }
  return pass();
}

/**
 * PCI-DEV-48/49: any event maps to any valid vector and reads it back; writing NO_VECTOR unmaps and
 * reads back NO_VECTOR.
 */
export async function checkVectorMapping(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
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
        const evidence = await common.evidence(event.queue === undefined ? [field] : ['queueSelect', field], hexNumber(vector), hexNumber(back));
        await common.reset();
        return fail(
          { code: 'vector-readback', event: event.name, field: field === 'configMsixVector' ? 'config_msix_vector' : 'queue_msix_vector', vector, readBack: back, tableSize: vectors },
          evidence,
        );
      }
    }
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-51: a mapping that cannot be done (a vector past the table) reads back NO_VECTOR. */
export async function checkVectorRefusal(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  const vectors = msixVectors(view);
  if (vectors === undefined) return inapplicable('the device has no MSI-X capability');
  const failed = await resetOrFail(common);
  if (failed) return failed;
  await common.write('configMsixVector', vectors);
  const back = await common.read('configMsixVector');
  const evidence = back === VIRTIO_MSI_NO_VECTOR ? undefined : await common.evidence(['configMsixVector'], hexNumber(VIRTIO_MSI_NO_VECTOR), hexNumber(back));
  await common.reset();
  if (evidence === undefined) return pass();
  return fail({ code: 'vector-refusal', vector: vectors, readBack: back, tableSize: vectors, expected: VIRTIO_MSI_NO_VECTOR }, evidence);
}

/** PCI-DEV-08: each 32-bit half of queue_desc is written and read on its own without touching the other. */
export async function checkSixtyFourBitHalves(common: CommonConfig): Promise<CheckFinding> {
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
      return fail({ code: 'half-write-disturbs', queue, half: step.half === 0 ? 'low' : 'high', value: step.value, high: high >>> 0, low: low >>> 0 }, evidence);
    }
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-32: a read of ISR status returns it and clears it. Needs a way to set an ISR bit first. */
export async function checkIsrReadClears(view: FunctionView, access: LiveAccess, raise?: () => void): Promise<CheckFinding> {
  const isr = preferredCapabilities(view).get(VirtioPciCfgType.ISR_CFG);
  if (isr === undefined) return inapplicable('no usable ISR capability (see PCI-DEV-28)');
  raise?.();
  const bar = isr.virtio.bar;
  const at = Number(isr.virtio.offset);
  const first = await access.readBar(bar, at, 1);
  if (first === 0) return inapplicable(raise === undefined ? 'ISR reads 0 and xvc cannot make this device set it' : 'ISR read 0 even after the device signalled used buffers');
  if (raise !== undefined && (first & VIRTIO_PCI_ISR_QUEUE) === 0) {
    return fail({ code: 'isr-queue-bit', bar, at, value: first }, regionEvidence(access.id, `bar${bar}`, at, Uint8Array.of(first), [at], 'queue bit set', hexNumber(first)));
  }
  const second = await access.readBar(bar, at, 1);
  if (second === 0) return pass();
  return fail({ code: 'isr-not-cleared', bar, at, first, second }, regionEvidence(access.id, `bar${bar}`, at, Uint8Array.of(second), [at], '0', hexNumber(second)));
}


/** PCI-DEV-15: config_generation changes once the device changed device configuration that the driver then reads. */
export async function checkConfigGeneration(view: FunctionView, common: CommonConfig, change?: (offset: number, bytes: Uint8Array) => boolean): Promise<CheckFinding> {
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
  return fail({ code: 'config-generation-stuck', generation: before }, await common.evidence(['configGeneration'], `not ${before}`, String(after)));
}

/** VIRTIO-DEV-09: every device-configuration byte is readable before FEATURES_OK, and reading it does not make the device need a reset. */
export async function checkDeviceConfigBeforeFeaturesOk(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
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
    return fail({ code: 'device-config-read-breaks', length, status, expected: ACK_DRIVER }, await common.evidence(['deviceStatus'], hexNumber(ACK_DRIVER), hexNumber(status)));
  }
  return pass();
}

/**
 * Negotiates `feature` together with the offered features a device may require (VERSION_1,
 * ACCESS_PLATFORM, ORDER_PLATFORM): a device may refuse FEATURES_OK without them (QEMU does with
 * iommu_platform=on). Returns inapplicable text when `feature` is not offered or not accepted.
 */
async function negotiateFeature(common: CommonConfig, feature: bigint, name: string): Promise<string | undefined> {
  const offered = await common.offeredFeatures();
  if ((offered & feature) === 0n) return `the device does not offer ${name}`;
  const status = await common.negotiate(CommonConfig.required(offered) | feature);
  if (status === undefined || (status & VirtioDeviceStatus.FEATURES_OK) === 0) {
    await common.reset();
    return `the device did not accept ${name} with the features it may require (see VIRTIO-DEV-04)`;
  }
  return undefined;
}

/** PCI-DEV-18: with RING_RESET negotiated, queue_reset reads 0 after reset and after the queue is enabled. */
export async function checkQueueResetIdle(common: CommonConfig): Promise<CheckFinding> {
  if (!common.has('queueReset')) return inapplicable('the common configuration structure is too short for queue_reset');
  const skip = await negotiateFeature(common, VirtioFeatures.RING_RESET, 'RING_RESET');
  if (skip !== undefined) return inapplicable(skip);
  const queues = await common.read('numQueues');
  for (let queue = 0; queue < queues; queue++) {
    await common.write('queueSelect', queue);
    const value = await common.read('queueReset');
    if (value !== 0) {
      const evidence = await common.evidence(['queueSelect', 'queueReset'], '0', String(value));
      await common.reset();
      return fail({ code: 'queue-reset-after-reset', queue, value }, evidence);
    }
  }
  const enabled = await enableFirstQueue(common);
  if (enabled !== undefined) {
    const value = await common.read('queueReset');
    if (value !== 0) {
      const evidence = await common.evidence(['queueSelect', 'queueReset'], '0', String(value));
      await common.reset();
      return fail({ code: 'queue-reset-after-enable', queue: enabled, value }, evidence);
    }
  }
  await common.reset();
  return pass();
}

/** PCI-DEV-19: with RING_RESET negotiated, writing 1 to queue_reset resets the queue; it then reads 0 and so does queue_enable. */
export async function checkQueueReset(common: CommonConfig): Promise<CheckFinding> {
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
  for (let poll = 0; poll < RESET_POLL_LIMIT && value !== 0; poll++) value = await common.read('queueReset');
  const enable = await common.read('queueEnable');
  const evidence = await common.evidence(['queueReset', 'queueEnable'], '0 and 0', `${value} and ${enable}`);
  await common.reset();
  if (value !== 0) return fail({ code: 'queue-reset-incomplete', queue, polls: RESET_POLL_LIMIT }, evidence);
  if (enable !== 0) return fail({ code: 'queue-enable-after-queue-reset', queue, value: enable }, evidence);
  return pass();
}

/** PCI-DEV-22: with ADMIN_VQ negotiated, admin_queue_index >= num_queues and admin_queue_num <= 0x10000 - index. */
export async function checkAdminQueues(common: CommonConfig): Promise<CheckFinding> {
  if (!common.has('adminQueueNum')) return inapplicable('the common configuration structure is too short for the admin queue fields');
  const skip = await negotiateFeature(common, VirtioFeatures.ADMIN_VQ, 'ADMIN_VQ');
  if (skip !== undefined) return inapplicable(skip);
  const queues = await common.read('numQueues');
  const index = await common.read('adminQueueIndex');
  const count = await common.read('adminQueueNum');
  const evidence = await common.evidence(['numQueues', 'adminQueueIndex', 'adminQueueNum'], 'index >= num_queues, num <= 0x10000 - index', `${queues}, ${index}, ${count}`);
  await common.reset();
  if (index < queues) return fail({ code: 'admin-queue-index', index, queues }, evidence);
  if (count > QUEUE_SELECT_LIMIT - index) return fail({ code: 'admin-queue-count', index, count, limit: QUEUE_SELECT_LIMIT }, evidence);
  return pass();
}
