/**
 * The device suite's checks as data: requirement ids, a title, and how to run the check on one
 * function. The suite file only turns each row into a vitest test per target and function.
 */
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CAP_ALIGN } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import type { DeviceSideControl } from '../../targets/reference-device.ts';
import { checkStructureBars, checkSharedMemoryBars } from './checks/bar-checks.ts';
import {
  checkCapabilityList,
  checkCapLen,
  checkLegacyIoBar0,
  checkMsixTableSize,
  checkNotifyLength,
  checkNotifyMultiplier,
  checkOffsetAlignment,
  checkPresence,
  checkSharedMemoryIds,
  checkVendorDataSize,
  checkVendorDataVendorId,
} from './checks/capability-checks.ts';
import type { FunctionView } from './checks/function-view.ts';
import {
  checkDeviceId,
  checkHeaderType,
  checkModernDeviceIdRange,
  checkModernRevision,
  checkModernSubsystemId,
  checkTransitionalDeviceIdRange,
  checkTransitionalRevision,
  checkTransitionalSubsystemId,
  checkVendorId,
} from './checks/identity-checks.ts';
import type { CommonConfig } from './checks/live-access.ts';
import * as live from './checks/live-checks.ts';
import * as iommu from './checks/iommu-checks.ts';
import * as legacy from './checks/legacy-checks.ts';
import { checkLegacyDriverFendOff } from './checks/legacy-driver-checks.ts';
import { inapplicable, type CheckVerdict } from './checks/verdict.ts';
import type { RequirementId } from '../../generated/ts/requirements.ts';

/** Alignment of the notify structure's offset without NOTIFICATION_DATA (VS13 §4.1.4.4.1). */
const NOTIFY_ALIGN = 2;

/** What a check gets for one function. */
export interface CheckInput {
  view: FunctionView;
  /** BAR sizes when the target knows them. */
  barSizes?: readonly number[];
  /** Common configuration access on live targets, or why there is none. */
  common: CommonConfig | string;
  /** Device-side control (reference target only). */
  deviceSide?: DeviceSideControl;
  /** Fresh config snapshot (for side-effect checks). */
  snapshot(): Promise<Uint8Array>;
  /** Whether sweeping every queue_select value is cheap on this target. */
  exhaustiveQueues: boolean;
}

/** One row: requirement ids, a title without them, and the check. */
export interface CheckRow {
  ids: readonly RequirementId[];
  title: string | ((input: { exhaustiveQueues: boolean }) => string);
  run(input: CheckInput): CheckVerdict | Promise<CheckVerdict>;
}

/** Offered features when the target is live, else undefined. */
async function offered(input: CheckInput): Promise<bigint | undefined> {
  return typeof input.common === 'string' ? undefined : input.common.offeredFeatures();
}

async function notificationData(input: CheckInput): Promise<boolean> {
  const features = await offered(input);
  return features !== undefined && (features & VirtioFeatures.NOTIFICATION_DATA) !== 0n;
}

function withLive(run: (common: CommonConfig, input: CheckInput) => Promise<CheckVerdict>): (input: CheckInput) => Promise<CheckVerdict> {
  return async (input) => (typeof input.common === 'string' ? inapplicable(input.common) : run(input.common, input));
}

/** Static checks: the snapshot is enough (a live target adds offered features and BAR sizes). */
export const staticRows: readonly CheckRow[] = [
  { ids: ['PCI-DEV-01'], title: 'type-0 header', run: ({ view }) => checkHeaderType(view) },
  { ids: ['PCI-DEV-01'], title: 'capability lists well formed and bounded', run: ({ view }) => checkCapabilityList(view) },
  { ids: ['PCI-DEV-01'], title: 'each virtio structure names an implemented BAR (not a 64-bit upper half) and lies inside it', run: ({ view, barSizes }) => checkStructureBars(view, barSizes) },
  { ids: ['PCI-DEV-02'], title: 'vendor ID is 0x1AF4', run: ({ view }) => checkVendorId(view) },
  { ids: ['PCI-DEV-03'], title: 'device ID is 0x1040 plus the virtio ID or a transitional ID', run: ({ view }) => checkDeviceId(view) },
  { ids: ['PCI-DEV-05'], title: 'non-transitional device ID within 0x1040..0x107F', run: ({ view }) => checkModernDeviceIdRange(view) },
  { ids: ['PCI-DEV-06'], title: 'non-transitional revision ID at least 1', run: ({ view }) => checkModernRevision(view) },
  { ids: ['PCI-DEV-07'], title: 'non-transitional subsystem device ID at least 0x40', run: ({ view }) => checkModernSubsystemId(view) },
  { ids: ['PCI-LEG-01'], title: 'transitional revision ID is 0', run: ({ view }) => checkTransitionalRevision(view) },
  { ids: ['PCI-LEG-02'], title: 'transitional subsystem device ID is the virtio device ID', run: ({ view }) => checkTransitionalSubsystemId(view) },
  { ids: ['PCI-LEG-03'], title: 'transitional device ID within 0x1000..0x103F', run: ({ view }) => checkTransitionalDeviceIdRange(view) },
  { ids: ['PCI-LEG-04', 'PCI-LEG-09'], title: 'transitional device has an I/O BAR0 for the legacy interface', run: ({ view, barSizes }) => checkLegacyIoBar0(view, barSizes) },
  { ids: ['PCI-DEV-09'], title: 'cap_len covers the structure of its cfg_type', run: ({ view }) => checkCapLen(view) },
  { ids: ['PCI-DEV-11'], title: 'common configuration offset is 4-byte aligned', run: ({ view }) => checkOffsetAlignment(view, VirtioPciCfgType.COMMON_CFG, VIRTIO_PCI_CAP_ALIGN) },
  { ids: ['PCI-DEV-12'], title: 'at least one COMMON_CFG capability', run: ({ view }) => checkPresence(view, VirtioPciCfgType.COMMON_CFG) },
  { ids: ['PCI-DEV-23'], title: 'at least one NOTIFY_CFG capability', run: ({ view }) => checkPresence(view, VirtioPciCfgType.NOTIFY_CFG) },
  {
    ids: ['PCI-DEV-24'],
    title: 'notification offset is 2-byte aligned (4-byte with NOTIFICATION_DATA offered, on live targets)',
    run: async (input) => checkOffsetAlignment(input.view, VirtioPciCfgType.NOTIFY_CFG, (await notificationData(input)) ? VIRTIO_PCI_CAP_ALIGN : NOTIFY_ALIGN),
  },
  {
    ids: ['PCI-DEV-25'],
    title: 'notify_off_multiplier is 0 or a power of two (either reading of "even power of 2")',
    run: async (input) => checkNotifyMultiplier(input.view, VirtioPciCfgType.NOTIFY_CFG, await notificationData(input)),
  },
  { ids: ['PCI-DEV-26'], title: 'notification length is at least 2 (4 with NOTIFICATION_DATA)', run: async (input) => checkNotifyLength(input.view, VirtioPciCfgType.NOTIFY_CFG, await notificationData(input)) },
  { ids: ['PCI-DEV-28'], title: 'at least one ISR_CFG capability', run: ({ view }) => checkPresence(view, VirtioPciCfgType.ISR_CFG) },
  { ids: ['PCI-DEV-33'], title: 'device configuration offset is 4-byte aligned', run: ({ view }) => checkOffsetAlignment(view, VirtioPciCfgType.DEVICE_CFG, VIRTIO_PCI_CAP_ALIGN) },
  { ids: ['PCI-DEV-34'], title: 'shared memory region lies inside its BAR', run: ({ view, barSizes }) => checkSharedMemoryBars(view, barSizes) },
  { ids: ['PCI-DEV-35'], title: 'shared memory ids are unique', run: ({ view }) => checkSharedMemoryIds(view, VirtioPciCfgType.SHARED_MEMORY_CFG) },
  { ids: ['PCI-DEV-38'], title: 'vendor data vendor_id is not 0x1AF4', run: ({ view }) => checkVendorDataVendorId(view, VirtioPciCfgType.VENDOR_CFG) },
  { ids: ['PCI-DEV-39'], title: 'vendor data capability size is a multiple of 4', run: ({ view }) => checkVendorDataSize(view, VirtioPciCfgType.VENDOR_CFG) },
  { ids: ['PCI-DEV-41'], title: 'at least one PCI_CFG capability', run: ({ view }) => checkPresence(view, VirtioPciCfgType.PCI_CFG) },
  { ids: ['PCI-DEV-45'], title: 'MSI-X table size between 2 and 0x800 vectors', run: ({ view }) => checkMsixTableSize(view) },
];

/** Live checks: they write the device; inapplicable on read-only targets. Each leaves the device reset. */
export const liveRows: readonly CheckRow[] = [
  { ids: ['PCI-DEV-16', 'VIRTIO-DEV-07'], title: 'writing 0 to device_status resets and it reads 0', run: withLive((common) => live.checkReset(common)) },
  { ids: ['PCI-DEV-17'], title: 'queue_enable reads 0 for every queue after reset', run: withLive((common) => live.checkQueueEnableAfterReset(common)) },
  { ids: ['PCI-DEV-13'], title: 'device_feature windows 0/1 are stable and selects 2 and up read 0', run: withLive((common) => live.checkDeviceFeatureWindows(common)) },
  { ids: ['PCI-DEV-14'], title: 'driver_feature reads back the valid bits written', run: withLive((common) => live.checkDriverFeatureWindows(common)) },
  { ids: ['VIRTIO-DEV-04'], title: 'FEATURES_OK kept for the offered set and refused with an unoffered bit', run: withLive((common) => live.checkFeaturesOk(common)) },
  { ids: ['VIRTIO-DEV-06'], title: 'the accepted feature set is accepted again after reset', run: withLive((common) => live.checkRenegotiation(common)) },
  { ids: ['VIRTIO-DEV-10'], title: 'non-transitional device offers VERSION_1', run: withLive((common, { view }) => live.checkVersion1Offered(view, common)) },
  { ids: ['VIRTIO-DEV-11'], title: 'device for Xen grant mappings offers ACCESS_PLATFORM', run: withLive((common) => live.checkAccessPlatformOffered(common)) },
  { ids: ['VIRTIO-DEV-12'], title: 'SR_IOV offered only with an SR-IOV capability', run: withLive((common, { view }) => live.checkSrIovOffer(view, common)) },
  { ids: ['VIRTIO-DEV-05'], title: 'no undefined transport feature bit is offered', run: withLive((common) => live.checkReservedFeatures(common)) },
  {
    ids: ['PCI-DEV-20'],
    title: ({ exhaustiveQueues }) =>
      exhaustiveQueues ? 'queue_size reads 0 for every queue_select from num_queues to 0xFFFF' : 'queue_size reads 0 past num_queues (boundaries and a 48-value sample of queue_select)',
    run: withLive((common, { exhaustiveQueues }) => live.checkUnavailableQueues(common, exhaustiveQueues)),
  },
  { ids: ['PCI-DEV-21'], title: 'every queue_size is 0 or a power of two', run: withLive((common) => live.checkQueueSizes(common)) },
  { ids: ['PCI-DEV-27'], title: 'every queue notify address fits the notification length', run: withLive((common, { view }) => live.checkNotifyBounds(view, common)) },
  { ids: ['PCI-DEV-08'], title: 'the halves of queue_desc are independently accessible', run: withLive((common) => live.checkSixtyFourBitHalves(common)) },
  { ids: ['PCI-DEV-50'], title: 'every MSI-X vector field reads NO_VECTOR after reset', run: withLive((common, { view }) => live.checkVectorsAfterReset(view, common)) },
  { ids: ['PCI-DEV-48', 'PCI-DEV-49'], title: 'MSI-X vectors map, read back and unmap', run: withLive((common, { view }) => live.checkVectorMapping(view, common)) },
  { ids: ['PCI-DEV-51'], title: 'a vector past the MSI-X table reads back NO_VECTOR', run: withLive((common, { view }) => live.checkVectorRefusal(view, common)) },
  { ids: ['PCI-DEV-32'], title: 'reading ISR clears it (inapplicable unless the target can set it)', run: withLive((common, { view, deviceSide }) => live.checkIsrReadClears(view, common.access, deviceSide?.raiseQueueInterrupt)) },
  { ids: ['PCI-DEV-15'], title: 'config_generation changes after a device config change (inapplicable unless the target can make one)', run: withLive((common, { view, deviceSide }) => live.checkConfigGeneration(view, common, deviceSide?.changeDeviceConfig)) },
  { ids: ['VIRTIO-DEV-09'], title: 'device configuration readable before FEATURES_OK', run: withLive((common, { view }) => live.checkDeviceConfigBeforeFeaturesOk(view, common)) },
  { ids: ['PCI-DEV-40'], title: 'reading vendor data has no side effects', run: withLive((common, input) => live.checkVendorDataReads(input.view, common.access, input.snapshot)) },
  { ids: ['PCI-DEV-43'], title: 'PCI_CFG window reads (bar, length 1/2/4, offset) match direct BAR reads', run: withLive((common, { view }) => live.checkWindowReads(view, common)) },
  { ids: ['PCI-DEV-42'], title: 'PCI_CFG window writes reach the BAR', run: withLive((common, { view }) => live.checkWindowWrites(view, common)) },
  { ids: ['PCI-DEV-18'], title: 'queue_reset reads 0 after reset and after enabling (RING_RESET)', run: withLive((common) => live.checkQueueResetIdle(common)) },
  { ids: ['PCI-DEV-19'], title: 'queue reset completes with queue_reset and queue_enable 0 (RING_RESET)', run: withLive((common) => live.checkQueueReset(common)) },
  { ids: ['PCI-DEV-22'], title: 'admin queue index and count in range (ADMIN_VQ)', run: withLive((common) => live.checkAdminQueues(common)) },
  { ids: ['PCI-LEG-07'], title: 'legacy device configuration follows the 20-byte (24 with MSI-X) header', run: withLive((common, { view, barSizes }) => legacy.checkLegacyConfigOffset(view, common.access, barSizes)) },
  { ids: ['PCI-LEG-06'], title: 'legacy device configuration reads the same at every access width', run: withLive((common, { view, barSizes }) => legacy.checkLegacyAccessWidths(view, common.access, barSizes)) },
  { ids: ['VIOMMU-DEV-01'], title: 'virtio-iommu offers MAP_UNMAP', run: withLive((common, { view }) => iommu.checkMapUnmapOffered(view, common)) },
  { ids: ['VIOMMU-DEV-02'], title: 'virtio-iommu does not offer the superseded BYPASS', run: withLive((common, { view }) => iommu.checkBypassFeatures(view, common, 'superseded')) },
  { ids: ['VIOMMU-DEV-03'], title: 'virtio-iommu does not offer BYPASS with BYPASS_CONFIG', run: withLive((common, { view }) => iommu.checkBypassFeatures(view, common, 'exclusive')) },
  { ids: ['VIOMMU-DEV-04'], title: 'virtio-iommu page_size_mask has a bit set', run: withLive((common, { view }) => iommu.checkPageSizeMask(view, common)) },
  { ids: ['VIOMMU-DEV-05'], title: 'virtio-iommu bypass reads 0 or 1 (BYPASS_CONFIG)', run: withLive((common, { view }) => iommu.checkBypassField(view, common, 'range')) },
  { ids: ['VIOMMU-DEV-06'], title: 'virtio-iommu bypass survives a device reset (BYPASS_CONFIG)', run: withLive((common, { view }) => iommu.checkBypassField(view, common, 'reset')) },
  // Last: when it applies it leaves the device zeroed and deaf to writes.
  {
    ids: ['PCI-DEV-44'],
    title: 'non-transitional device with an I/O BAR0 goes quiet after a legacy status write',
    run: withLive((common, { view, barSizes }) => checkLegacyDriverFendOff(view, common, barSizes)),
  },
];

/** Test title of a row: its ids, then its title, so `--requirement` filters by name. */
export function rowName(row: CheckRow, input: { exhaustiveQueues: boolean }): string {
  const title = typeof row.title === 'string' ? row.title : row.title(input);
  return `${row.ids.join(' ')} ${title}`;
}
