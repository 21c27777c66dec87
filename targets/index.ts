/**
 * The public entry of targets for code outside xvc (`import ... from 'xvc/targets'`): parse a target
 * spec as `--target` takes it, open it as a device or a frontend, and the interfaces those return,
 * so a vendor can drive their implementation from their own TypeScript.
 */
export { openDeviceTarget, openFrontendTarget, type AdapterSettings } from './create-target.ts';
export { parseTargetSpec, splitCommand, TargetSpecError, builtinModels, builtinFrontendModels, type TargetSpec } from './target-spec.ts';
export { TargetError, type AccessWidth, type DeviceTarget, type PciFunction } from './device-target.ts';
export { isSkip, type FrontendTarget, type TargetSkip } from './frontend-target.ts';
export type { TargetMetadata } from './target-metadata.ts';
