/**
 * Public entry of reference-impl/discovery/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { bytesToHex, hexToBytes } from './hex-bytes.ts';
export { minimalVirtioConfigSpace, appendCapability } from './config-space-edit.ts';
export { grantDmaNode } from './device-tree.ts';
export { vendorDataCapability } from './mechanisms/vendor-data-capability.ts';
export { backendDomidCapability } from './mechanisms/virtio-capability.ts';
export { hostilePublisher, honestPublisher, type DiscoveryMechanism, type Publisher } from './mechanism.ts';
export { requesterIdOf } from './device-tree-of.ts';
export { backendDomidPath } from './mechanisms/xenstore.ts';
export { BACKEND_DOMID_PARAMETER } from './mechanisms/boot-parameter.ts';
export { discoveryMechanisms } from './registry.ts';
