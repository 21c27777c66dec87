/**
 * Public entry of reference-impl/xen/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { buildScenario, type BuildScenarioOptions, type ToolstackView, type XlGuestConfig, type XlVirtioDevice } from './toolstack.ts';
export { guestChannels, mechanismUnavailable, rootBusBridgeHasParent, type PlatformChannel } from './platform-channels.ts';
export { DOMID_T_MAX, isValidDomid } from './domid.ts';
