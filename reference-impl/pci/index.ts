/**
 * PCI building blocks of the reference implementation: one function's config space with access
 * semantics from the layouts, BAR encodings, address codecs and the capability walker.
 */
export { AccessMap, behaviourOf, type BitBehaviour, type LayoutResolver, type PaintOptions } from './access-map.ts';
export { AddressCodecError, bdfLimits, decodeCf8Address, decodeEcamOffset, decodeRequesterId, encodeCf8Address, encodeEcamOffset, encodeRequesterId, type Bdf, type ConfigAddress } from './address-codecs.ts';
export {
  barFlagBits,
  barWritableMasks,
  checkBarDefinitions,
  decodeBarProbe,
  PCI_BAR_IO_MIN_SIZE,
  PCI_BAR_MEMORY_MIN_SIZE,
  type BarDefinition,
  type BarDefinitionIssue,
  type BarProbe,
} from './bar-register.ts';
export { isVirtioFunction, preferredVirtioCapabilities, virtioLayoutIssues, walkCapabilities } from './capability-walker.ts';
export { ConfigSpace, ConfigSpaceError, type ConfigHook, type ConfigRegion, type RegionOptions } from './config-space.ts';
export { isAccessWidth, readLe, readLe32, widthMask, writeLe, writeLe32, type AccessWidth } from './le-bytes.ts';
export { barRegisterOffset, PCI_TYPE0_BAR_COUNT } from './type0-header.ts';
export { walkIssueCodes, type CapabilityWalk, type WalkedCapability, type WalkedExtendedCapability, type WalkedVirtioCapability, type WalkIssue } from './walk-types.ts';
