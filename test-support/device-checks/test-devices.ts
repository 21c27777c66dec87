/**
 * Reference devices behind access interceptors, for the live check tests: a hook can change what a
 * read returns or drop a write, which turns a conforming device into a precisely broken one.
 */
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import type { AccessWidth } from '../../targets/device-target.ts';
import { DeviceModel, type VirtioDeviceDescription } from '../../reference-impl/virtio/index.ts';
import { createReferenceDeviceTarget, ReferencePciFunction } from '../../targets/reference-device.ts';
import { viewFunction, type FunctionView } from '../../conformance/device/checks/function-view.ts';
import { liveCommonConfig, preferredCapabilities, type CommonConfig, type CommonField, type LiveAccess } from '../../conformance/device/checks/live-access.ts';

/** Interceptors a broken device is made of; each returns the value the driver sees (false from a write hook drops the write). */
export interface Hooks {
  readBar?(offset: number, width: AccessWidth, value: number, state: { featureSelect: number; queueSelect: number; driverSelect: number }, bar: number): number;
  writeBar?(offset: number, width: AccessWidth, value: number): boolean;
  readConfig?(offset: number, width: AccessWidth, value: number): number;
  writeConfig?(offset: number, width: AccessWidth, value: number): boolean;
}

/** A device under test and the handles the tests use. */
export interface Harness {
  fn: ReferencePciFunction;
  view: FunctionView;
  common: CommonConfig;
  /** BAR offset of a common-config field. */
  at(field: CommonField): number;
  hooks: Hooks;
}

/** The reference function `id` behind interceptors, with its view and common configuration. */
export async function device(id: string): Promise<Harness> {
  const fn = (await createReferenceDeviceTarget().functions()).find((candidate) => candidate.id === id) as ReferencePciFunction;
  return harness(fn);
}

/** A device model built from `description` behind interceptors. */
export async function describedDevice(description: VirtioDeviceDescription, id = 'described'): Promise<Harness> {
  return harness(new ReferencePciFunction(id, 'test device', new DeviceModel(description)));
}

/** `fn` behind interceptors, with its view and common configuration. */
export async function harness(fn: ReferencePciFunction): Promise<Harness> {
  const view = viewFunction(fn.id, await fn.snapshot(), { claimedVirtio: true });
  const hooks: Hooks = {};
  const state = { featureSelect: 0, queueSelect: 0, driverSelect: 0 };
  const base = Number(preferredCapabilities(view).get(VirtioPciCfgType.COMMON_CFG)!.virtio.offset);
  const at = (field: CommonField) => base + VIRTIO_PCI_COMMON_CFG_OFFSETS[field];
  const access: LiveAccess & { live: boolean } = {
    id: fn.id,
    live: true,
    readConfig: async (o, w) => {
      const value = await fn.readConfig(o, w);
      return hooks.readConfig ? hooks.readConfig(o, w, value) : value;
    },
    writeConfig: async (o, w, v) => {
      if (hooks.writeConfig?.(o, w, v) === false) return;
      await fn.writeConfig(o, w, v);
    },
    readBar: async (b, o, w) => {
      const value = await fn.readBar(b, o, w);
      return hooks.readBar ? hooks.readBar(o, w, value, state, b) : value;
    },
    writeBar: async (b, o, w, v) => {
      if (o === at('deviceFeatureSelect')) state.featureSelect = v;
      if (o === at('driverFeatureSelect')) state.driverSelect = v;
      if (o === at('queueSelect')) state.queueSelect = v;
      if (hooks.writeBar?.(o, w, v) === false) return;
      await fn.writeBar(b, o, w, v);
    },
    barSizes: () => fn.barSizes(),
  };
  const common = liveCommonConfig(view, access);
  if (typeof common === 'string') throw new Error(common);
  return { fn, view, common, at: (field) => common.at(field), hooks };
}

