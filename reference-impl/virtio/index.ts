/**
 * The virtio-pci reference backend (a live device model built from a description) and the
 * driver-side transport that initialises any PCI function through the four PCI accesses.
 */
export { planBars, powerOfTwoAtLeast, structureExtents, type BarOwner, type BarPlan, type MsixPlacement, type StructureExtent } from './bar-plan.ts';
export { CapabilityPlanError, planCapabilities, type PlannedCapability, type StructureRange } from './capability-plan.ts';
export { CommonConfigRegisters, commonConfigFields, commonConfigLength, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
export {
  checkDescription,
  deviceTypeName,
  pciDeviceId,
  type DescriptionIssue,
  type SharedMemoryRegionDescription,
  type VendorDataDescription,
  type VirtioBarPlacement,
  type VirtioDeviceDescription,
  type VirtioQueueDescription,
} from './device-description.ts';
export { DeviceModel, DeviceModelError, type PciFunctionPort } from './device-model.ts';
export { FEATURE_WINDOWS, featureWindow, VirtioDeviceState, withFeatureWindow, type NotificationRecord, type QueueState } from './device-state.ts';
export { arbitraryDescription, describeDevice, modernNetDescription, transitionalNetDescription } from './example-devices.ts';
export { fieldMaxValue, layoutField } from './layout-fields.ts';
export { LegacyRegisters } from './legacy-registers.ts';
export { notificationValue, notifyWidth, type NotificationData } from './notification-value.ts';
export { PciCfgWindow, type WindowAccess, type WindowBarAccess } from './pci-cfg-window.ts';
export { compareVersions } from './spec-version.ts';
export {
  VirtioPciTransport,
  type ConfiguredQueue,
  type LocatedStructure,
  type LocatedStructures,
  type TransportAccess,
  type TransportDeviation,
  type TransportInitResult,
  type TransportOptions,
} from './transport.ts';
