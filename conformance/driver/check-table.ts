/**
 * Every driver check, with the requirement ids it decides and a title. One conformance case is made
 * per (guest target, row). A row's finding is graded from the catalogue: a violation of a MUST or
 * MUST NOT fails, of a SHOULD, SHOULD NOT or note warns.
 */
import type { RequirementId } from '../../generated/ts/requirements.ts';
import { requirementCatalogue } from '../requirement-catalogue.ts';
import { checkAccessWidths, checkCapabilityWrites, checkWindowAlignment, checkWindowTarget } from './checks/access-checks.ts';
import { checkAnyRevision, checkLegacyUsesBar0, checkMatchesModernId, checkMatchesTransitionalId, checkNonTransitionalRefuses, checkTransitionalFallback } from './checks/binding-checks.ts';
import { checkIommuBypassValue, checkIommuConfigWrites, checkIommuFeatures } from './checks/iommu-checks.ts';
import { checkAcceptsAccessPlatform, checkAcceptsVersion1, checkNoReservedAccepted, checkOnlyOfferedAccepted } from './checks/feature-checks.ts';
import { checkAnyTableSize, checkNoIsrReadWithMsix, checkVectorsInTable, checkVectorsReadBack } from './checks/msix-checks.ts';
import { checkNotificationAddress, checkNotificationValue, checkNotificationWidth } from './checks/notify-checks.ts';
import { checkAdminQueueIndices, checkNoQueueDisable, checkQueueConfiguredBeforeEnable, checkQueueResetWaited, checkQueueSizeWrites, checkReadOnlyCommonFields } from './checks/queue-checks.ts';
import {
  checkFeatureNegotiation,
  checkFeaturesOkRefused,
  checkFeaturesOkReread,
  checkNeverClearsBits,
  checkNoNotifyBeforeDriverOk,
  checkQueuesBeforeDriverOk,
  checkReachesDriverOk,
  checkResetAfterFailed,
  checkResetCompletes,
  checkResetFirst,
  checkStatusOrder,
} from './checks/status-checks.ts';
import type { DriverCheckInput, DriverFinding } from './driver-finding.ts';

/** One row. */
export interface DriverCheck {
  readonly ids: readonly [RequirementId, ...RequirementId[]];
  readonly title: string;
  readonly run: (input: DriverCheckInput) => DriverFinding;
}

/** The rows, in the order a driver meets them. */
export const driverChecks: readonly DriverCheck[] = [
  { ids: ['PCI-DRV-01'], title: 'the driver takes a device with a modern device ID', run: checkMatchesModernId },
  { ids: ['PCI-DRV-02'], title: 'the driver takes a device with a transitional device ID', run: checkMatchesTransitionalId },
  { ids: ['PCI-DRV-03'], title: 'the driver takes the device whatever its revision ID', run: checkAnyRevision },
  { ids: ['VIRTIO-DRV-09'], title: 'initialisation starts with a reset', run: checkResetFirst },
  { ids: ['VIRTIO-DRV-09'], title: 'ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK are set in order', run: checkStatusOrder },
  { ids: ['VIRTIO-DRV-09'], title: 'features are read, then accepted between DRIVER and FEATURES_OK, with no device configuration written meanwhile', run: checkFeatureNegotiation },
  { ids: ['VIRTIO-DRV-09'], title: 'FEATURES_OK is read back before the driver goes on', run: checkFeaturesOkReread },
  { ids: ['VIRTIO-DRV-09'], title: 'queues are enabled before DRIVER_OK', run: checkQueuesBeforeDriverOk },
  { ids: ['VIRTIO-DRV-09'], title: 'a driver that took the device sets DRIVER_OK (or FAILED)', run: checkReachesDriverOk },
  { ids: ['VIRTIO-DRV-01'], title: 'no status bit is cleared without a reset', run: checkNeverClearsBits },
  { ids: ['VIRTIO-DRV-02'], title: 'after FAILED only a reset', run: checkResetAfterFailed },
  { ids: ['VIRTIO-DRV-10'], title: 'a device whose FEATURES_OK does not stick is not used', run: checkFeaturesOkRefused },
  { ids: ['PCI-DRV-16'], title: 'after writing 0 to device_status the driver waits for it to read 0 before initialising again', run: checkResetCompletes },
  { ids: ['VIRTIO-DRV-06'], title: 'a reset is complete when device_status reads 0', run: checkResetCompletes },
  { ids: ['VIRTIO-DRV-03'], title: 'only offered features are accepted', run: checkOnlyOfferedAccepted },
  { ids: ['VIRTIO-DRV-04'], title: 'no reserved or undefined feature bit is accepted', run: checkNoReservedAccepted },
  { ids: ['VIRTIO-DRV-12'], title: 'VERSION_1 is accepted when offered', run: checkAcceptsVersion1 },
  { ids: ['VIRTIO-DRV-13'], title: 'ACCESS_PLATFORM is accepted when offered', run: checkAcceptsAccessPlatform },
  { ids: ['PCI-DRV-05'], title: 'natural-width, aligned accesses to the common configuration, ISR and device configuration', run: checkAccessWidths },
  { ids: ['PCI-DRV-12'], title: 'no capability field is written (but the PCI_CFG window)', run: checkCapabilityWrites },
  { ids: ['PCI-DRV-13'], title: 'no read-only common configuration field is written', run: checkReadOnlyCommonFields },
  { ids: ['PCI-DRV-14'], title: 'queue_size writes are valid for the ring format', run: checkQueueSizeWrites },
  { ids: ['PCI-DRV-15'], title: 'a queue is configured before it is enabled', run: checkQueueConfiguredBeforeEnable },
  { ids: ['PCI-DRV-17'], title: 'queue_enable is never written 0', run: checkNoQueueDisable },
  { ids: ['PCI-DRV-18'], title: 'a reset queue is reused only once queue_reset reads 0', run: checkQueueResetWaited },
  { ids: ['PCI-DRV-19'], title: 'admin queues are configured at the advertised indices', run: checkAdminQueueIndices },
  { ids: ['VIRTIO-DRV-11'], title: 'no notification before DRIVER_OK', run: checkNoNotifyBeforeDriverOk },
  { ids: ['PCI-DRV-32'], title: 'notifications are 16-bit (32-bit with NOTIFICATION_DATA)', run: checkNotificationWidth },
  { ids: ['PCI-DRV-33'], title: 'a notification carries the queue index (or queue_notif_config_data)', run: checkNotificationValue },
  { ids: ['PCI-DRV-35'], title: 'a queue is notified at cap.offset + queue_notify_off × notify_off_multiplier', run: checkNotificationAddress },
  { ids: ['PCI-DRV-27'], title: 'the driver works with the MSI-X table the device has', run: checkAnyTableSize },
  { ids: ['PCI-DRV-30'], title: 'no vector outside the MSI-X table', run: checkVectorsInTable },
  { ids: ['PCI-DRV-31'], title: 'every vector mapping is read back', run: checkVectorsReadBack },
  { ids: ['PCI-DRV-20'], title: 'no ISR read while MSI-X is enabled', run: checkNoIsrReadWithMsix },
  { ids: ['PCI-DRV-23'], title: 'the PCI_CFG window offset is a multiple of its length', run: checkWindowAlignment },
  { ids: ['PCI-DRV-24'], title: 'the PCI_CFG window only reaches structures other capabilities describe', run: checkWindowTarget },
  { ids: ['PCI-LEG-05'], title: 'a driver on the legacy interface uses the BAR0 structure only', run: checkLegacyUsesBar0 },
  { ids: ['PCI-DRV-25'], title: 'a transitional driver falls back to the legacy interface when there are no virtio capabilities', run: checkTransitionalFallback },
  { ids: ['PCI-DRV-26'], title: 'a non-transitional driver refuses a device without virtio capabilities cleanly', run: checkNonTransitionalRefuses },
  { ids: ['VIOMMU-DRV-01'], title: 'a virtio-iommu driver accepts the range and probe features offered', run: checkIommuFeatures },
  { ids: ['VIOMMU-DRV-02'], title: 'a virtio-iommu driver writes only bypass, and only with BYPASS_CONFIG', run: checkIommuConfigWrites },
  { ids: ['VIOMMU-DRV-03'], title: 'a virtio-iommu driver writes bypass as 0 or 1', run: checkIommuBypassValue },
];

/** The case name of a row: its requirement ids, then its title. */
export function driverCheckName(check: DriverCheck): string {
  return `${check.ids.join(' ')} ${check.title}`;
}

/** Levels whose violation fails the driver; every other level warns. */
const failingLevels: ReadonlySet<string> = new Set(['MUST', 'MUST NOT']);

/** The requirement a violation rests on and whether it fails (else warns). */
export function gradeViolation(check: DriverCheck, finding: Extract<DriverFinding, { outcome: 'violation' }>): { id: RequirementId; fails: boolean; level: string } {
  const id = finding.requirement !== undefined && check.ids.includes(finding.requirement) ? finding.requirement : check.ids[0];
  const level = requirementCatalogue().get(id)?.level ?? 'MUST';
  return { id, fails: failingLevels.has(level), level };
}
