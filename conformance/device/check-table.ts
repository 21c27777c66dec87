/**
 * The device suite's checks as data: requirement ids, a title, and how to run the check on one
 * function. Every row's run grades what its check found from the catalogue (grading.ts): a check
 * never decides fail or warning itself, and a row whose requirements came after every spec version
 * the target declares is inapplicable before it touches the device.
 */
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CAP_ALIGN } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import type { DeviceSideControl } from '../../targets/reference-device.ts';
import { checkStructureBars, checkSharedMemoryBars } from './checks/bar-checks.ts';
import {
  checkCapabilityList,
  checkCapLen,
  checkCommonLength,
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
import * as features from './checks/feature-checks.ts';
import * as window from './checks/window-checks.ts';
import { checkVendorDataReads } from './checks/vendor-data-checks.ts';
import { noDeclarations, type TargetDeclarations } from './checks/declarations.ts';
import { grade, judgedVersion, versionGate } from './grading.ts';
import * as iommu from './checks/iommu-checks.ts';
import * as legacy from './checks/legacy-checks.ts';
import { checkLegacyDriverFendOff } from './checks/legacy-driver-checks.ts';
import { inapplicable, type CheckFinding, type CheckVerdict } from './checks/verdict.ts';
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
  /**
   * What the target declares: spec versions, use with Xen grants, an IOMMU in front of it. Absent:
   * it declares nothing (VIRTIO-DEV-11 is then inapplicable, and the checks' own version is used).
   */
  declared?: TargetDeclarations;
}

/** One row: requirement ids, a title without them, and the check, graded. */
export interface CheckRow {
  ids: readonly RequirementId[];
  title: string | ((input: { exhaustiveQueues: boolean }) => string);
  run(input: CheckInput): CheckVerdict | Promise<CheckVerdict>;
}

type Ids = readonly [RequirementId, ...RequirementId[]];

/** A row whose run grades `check`'s finding, after the version gate. */
function row(ids: Ids, title: CheckRow['title'], check: (input: CheckInput) => CheckFinding | Promise<CheckFinding>): CheckRow {
  return {
    ids,
    title,
    run: async (input) => {
      const gate = versionGate(ids, (input.declared ?? noDeclarations).specVersions);
      if (gate !== undefined) return inapplicable(gate);
      return grade(await check(input), ids);
    },
  };
}

/** Offered features when the target is live, else undefined. */
async function offered(input: CheckInput): Promise<bigint | undefined> {
  return typeof input.common === 'string' ? undefined : input.common.offeredFeatures();
}

async function notificationData(input: CheckInput): Promise<boolean> {
  const features = await offered(input);
  return features !== undefined && (features & VirtioFeatures.NOTIFICATION_DATA) !== 0n;
}

function withLive(run: (common: CommonConfig, input: CheckInput) => Promise<CheckFinding>): (input: CheckInput) => Promise<CheckFinding> {
  return async (input) => (typeof input.common === 'string' ? inapplicable(input.common) : run(input.common, input));
}

/** Static checks: the snapshot is enough (a live target adds offered features and BAR sizes). */
export const staticRows: readonly CheckRow[] = [
  row(['PCI-DEV-01'], 'type-0 header', ({ view }) => checkHeaderType(view)),
  row(['PCI-DEV-01'], 'capability lists well formed and bounded', ({ view }) => checkCapabilityList(view)),
  row(['PCI-DEV-01'], 'each virtio structure names an implemented BAR (not a 64-bit upper half) and lies inside it', ({ view, barSizes }) => checkStructureBars(view, barSizes)),
  row(['PCI-DEV-02'], 'vendor ID is 0x1AF4', ({ view }) => checkVendorId(view)),
  row(['PCI-DEV-03'], 'device ID is 0x1040 plus the virtio ID or a transitional ID', ({ view }) => checkDeviceId(view)),
  row(['PCI-DEV-05'], 'non-transitional device ID within 0x1040..0x107F', ({ view }) => checkModernDeviceIdRange(view)),
  row(['PCI-DEV-06'], 'non-transitional revision ID at least 1', ({ view }) => checkModernRevision(view)),
  row(['PCI-DEV-07'], 'non-transitional subsystem device ID at least 0x40', ({ view }) => checkModernSubsystemId(view)),
  row(['PCI-LEG-01'], 'transitional revision ID is 0', ({ view }) => checkTransitionalRevision(view)),
  row(['PCI-LEG-02'], 'transitional subsystem device ID is the virtio device ID', ({ view }) => checkTransitionalSubsystemId(view)),
  row(['PCI-LEG-03'], 'transitional device ID within 0x1000..0x103F', ({ view }) => checkTransitionalDeviceIdRange(view)),
  row(['PCI-LEG-04', 'PCI-LEG-09'], 'transitional device has an I/O BAR0 for the legacy interface', ({ view, barSizes }) => checkLegacyIoBar0(view, barSizes)),
  row(['PCI-DEV-09'], 'cap_len covers the structure of its cfg_type', ({ view }) => checkCapLen(view)),
  row(['PCI-DEV-11'], 'common configuration offset is 4-byte aligned', ({ view }) => checkOffsetAlignment(view, VirtioPciCfgType.COMMON_CFG, VIRTIO_PCI_CAP_ALIGN)),
  row(['PCI-DEV-12'], 'at least one COMMON_CFG capability a driver can use (not naming a reserved BAR)', ({ view }) => checkPresence(view, VirtioPciCfgType.COMMON_CFG)),
  row(['PCI-DEV-54'], 'COMMON_CFG length covers the common configuration (and, on live targets, the fields of offered features)', async (input) => checkCommonLength(input.view, await offered(input))),
  row(['PCI-DEV-23'], 'at least one NOTIFY_CFG capability', ({ view }) => checkPresence(view, VirtioPciCfgType.NOTIFY_CFG)),
  row(['PCI-DEV-24'], 'notification offset is 2-byte aligned (4-byte with NOTIFICATION_DATA offered, on live targets)', async (input) =>
    checkOffsetAlignment(input.view, VirtioPciCfgType.NOTIFY_CFG, (await notificationData(input)) ? VIRTIO_PCI_CAP_ALIGN : NOTIFY_ALIGN),
  ),
  row(['PCI-DEV-25'], 'notify_off_multiplier is 0 or a power of two (either reading of "even power of 2")', async (input) =>
    checkNotifyMultiplier(input.view, VirtioPciCfgType.NOTIFY_CFG, await notificationData(input)),
  ),
  row(['PCI-DEV-26'], 'notification length is at least 2 (4 with NOTIFICATION_DATA)', async (input) => checkNotifyLength(input.view, VirtioPciCfgType.NOTIFY_CFG, await notificationData(input))),
  row(['PCI-DEV-28'], 'at least one ISR_CFG capability', ({ view }) => checkPresence(view, VirtioPciCfgType.ISR_CFG)),
  row(['PCI-DEV-33'], 'device configuration offset is 4-byte aligned', ({ view }) => checkOffsetAlignment(view, VirtioPciCfgType.DEVICE_CFG, VIRTIO_PCI_CAP_ALIGN)),
  row(['PCI-DEV-34'], 'shared memory region lies inside its BAR', ({ view, barSizes }) => checkSharedMemoryBars(view, barSizes)),
  row(['PCI-DEV-35'], 'shared memory ids are unique', ({ view }) => checkSharedMemoryIds(view, VirtioPciCfgType.SHARED_MEMORY_CFG)),
  row(['PCI-DEV-38'], 'vendor data vendor_id is not 0x1AF4', ({ view }) => checkVendorDataVendorId(view, VirtioPciCfgType.VENDOR_CFG)),
  row(['PCI-DEV-39'], 'vendor data capability size is a multiple of 4', ({ view }) => checkVendorDataSize(view, VirtioPciCfgType.VENDOR_CFG)),
  row(['PCI-DEV-41'], 'at least one PCI_CFG capability', ({ view }) => checkPresence(view, VirtioPciCfgType.PCI_CFG)),
  row(['PCI-DEV-45'], 'MSI-X table size between 2 and 0x800 vectors', ({ view }) => checkMsixTableSize(view)),
];

/** Live checks: they write the device; inapplicable on read-only targets. Each leaves the device reset. */
export const liveRows: readonly CheckRow[] = [
  row(['PCI-DEV-16', 'VIRTIO-DEV-07'], 'writing 0 to device_status resets and it reads 0', withLive((common) => live.checkReset(common))),
  // Before any other row negotiates: a device that accepts a feature set only the first time shows it here.
  row(['VIRTIO-DEV-06'], 'the accepted feature set is accepted again after reset', withLive((common) => features.checkRenegotiation(common))),
  row(['PCI-DEV-17'], 'queue_enable reads 0 for every queue after reset', withLive((common) => live.checkQueueEnableAfterReset(common))),
  row(['PCI-DEV-13'], 'device_feature follows device_feature_select (windows 0 to 5 and the largest selects read the same in either order)', withLive((common) => features.checkDeviceFeatureWindows(common))),
  row(['PCI-DEV-14'], 'driver_feature reads back the valid bits written', withLive((common) => features.checkDriverFeatureWindows(common))),
  row(['VIRTIO-DEV-04'], 'FEATURES_OK kept for the whole offer and for the smallest valid subset', withLive((common) => features.checkValidSubsetsAccepted(common))),
  row(['VIRTIO-DEV-13'], 'FEATURES_OK refused when the driver accepts a bit the device did not offer', withLive((common) => features.checkUnofferedBitRefused(common))),
  row(['VIRTIO-DEV-10'], 'non-transitional device offers VERSION_1', withLive((common, { view }) => features.checkVersion1Offered(view, common))),
  row(['VIRTIO-DEV-11'], 'device declared a Xen grant backend or behind an IOMMU offers ACCESS_PLATFORM', withLive((common, { declared }) => features.checkAccessPlatformOffered(common, declared ?? noDeclarations))),
  row(['VIRTIO-DEV-12'], 'SR_IOV offered only with an SR-IOV capability', withLive((common, { view }) => features.checkSrIovOffer(view, common))),
  row(['VIRTIO-DEV-05'], 'no offered feature bit is reserved in the judged spec version and every later one', withLive((common, { declared }) => features.checkReservedFeatures(common, judgedVersion((declared ?? noDeclarations).specVersions)))),
  row(
    ['PCI-DEV-20'],
    ({ exhaustiveQueues }) =>
      exhaustiveQueues
        ? 'queue_size reads 0 for every queue_select from num_queues to 0xFFFF, each selected right after a valid queue'
        : 'queue_size reads 0 past num_queues, each select right after a valid queue (boundaries incl. 1024 and 0xFFFF, and a 48-value sample)',
    withLive((common, { exhaustiveQueues }) => live.checkUnavailableQueues(common, exhaustiveQueues)),
  ),
  row(['PCI-DEV-21'], 'every queue_size is 0 or a power of two', withLive((common) => live.checkQueueSizes(common))),
  row(['PCI-DEV-27'], 'every queue notify address fits each notification structure', withLive((common, { view }) => live.checkNotifyBounds(view, common))),
  row(['PCI-DEV-08'], 'the halves of queue_desc are independently accessible', withLive((common) => live.checkSixtyFourBitHalves(common))),
  row(['PCI-DEV-50'], 'every MSI-X vector field reads NO_VECTOR after reset', withLive((common, { view }) => live.checkVectorsAfterReset(view, common))),
  row(['PCI-DEV-48', 'PCI-DEV-49'], 'MSI-X vectors map, read back and unmap', withLive((common, { view }) => live.checkVectorMapping(view, common))),
  row(['PCI-DEV-51'], 'a vector past the MSI-X table reads back NO_VECTOR', withLive((common, { view }) => live.checkVectorRefusal(view, common))),
  row(['PCI-DEV-32'], 'reading ISR clears it (inapplicable unless the target can set it)', withLive((common, { view, deviceSide }) => live.checkIsrReadClears(view, common.access, deviceSide?.raiseQueueInterrupt))),
  row(['PCI-DEV-15'], 'config_generation changes after a device config change (inapplicable unless the target can make one)', withLive((common, { view, deviceSide }) =>
    live.checkConfigGeneration(view, common, deviceSide?.changeDeviceConfig),
  )),
  row(['VIRTIO-DEV-09'], 'device configuration readable before FEATURES_OK', withLive((common, { view }) => live.checkDeviceConfigBeforeFeaturesOk(view, common))),
  row(['PCI-DEV-40'], 'reading vendor data changes nothing else in config space or the common configuration', withLive((common, input) => checkVendorDataReads(input.view, common.access, input.snapshot, common))),
  row(['PCI-DEV-43'], 'PCI_CFG window reads of every structure, through its own cap.bar, match direct BAR reads', withLive((common, { view, barSizes }) => window.checkWindowReads(view, common, barSizes))),
  row(['PCI-DEV-42'], 'PCI_CFG window writes reach the BAR cap.bar names', withLive((common, { view, barSizes }) => window.checkWindowWrites(view, common, barSizes))),
  row(['PCI-DEV-18'], 'queue_reset reads 0 after reset and after enabling (RING_RESET)', withLive((common) => live.checkQueueResetIdle(common))),
  row(['PCI-DEV-19'], 'queue reset completes with queue_reset and queue_enable 0 (RING_RESET)', withLive((common) => live.checkQueueReset(common))),
  row(['PCI-DEV-22'], 'admin queue index and count in range (ADMIN_VQ)', withLive((common) => live.checkAdminQueues(common))),
  row(['PCI-LEG-07'], 'legacy device configuration follows the 20-byte (24 with MSI-X) header', withLive((common, { view, barSizes }) => legacy.checkLegacyConfigOffset(view, common.access, barSizes))),
  row(['PCI-LEG-06'], 'legacy device configuration reads the same at every access width', withLive((common, { view, barSizes }) => legacy.checkLegacyAccessWidths(view, common.access, barSizes))),
  row(['VIOMMU-DEV-01'], 'virtio-iommu offers MAP_UNMAP', withLive((common, { view }) => iommu.checkMapUnmapOffered(view, common))),
  row(['VIOMMU-DEV-02'], 'virtio-iommu does not offer the superseded BYPASS', withLive((common, { view }) => iommu.checkBypassFeatures(view, common, 'superseded'))),
  row(['VIOMMU-DEV-03'], 'virtio-iommu does not offer BYPASS with BYPASS_CONFIG', withLive((common, { view }) => iommu.checkBypassFeatures(view, common, 'exclusive'))),
  row(['VIOMMU-DEV-04'], 'virtio-iommu page_size_mask has a bit set', withLive((common, { view }) => iommu.checkPageSizeMask(view, common))),
  row(['VIOMMU-DEV-05'], 'virtio-iommu bypass reads 0 or 1 (BYPASS_CONFIG)', withLive((common, { view }) => iommu.checkBypassField(view, common, 'range'))),
  row(['VIOMMU-DEV-06'], 'virtio-iommu bypass survives a device reset (BYPASS_CONFIG)', withLive((common, { view }) => iommu.checkBypassField(view, common, 'reset'))),
  // Last: when it applies it leaves the device zeroed and deaf to writes.
  row(['PCI-DEV-44'], 'non-transitional device with an I/O BAR0 goes quiet after a legacy status write', withLive((common, { view, barSizes }) => checkLegacyDriverFendOff(view, common, barSizes))),
];

/** Test title of a row: its ids, then its title, so `--requirement` filters by name. */
export function rowName(row: CheckRow, input: { exhaustiveQueues: boolean }): string {
  const title = typeof row.title === 'string' ? row.title : row.title(input);
  return `${row.ids.join(' ')} ${title}`;
}
