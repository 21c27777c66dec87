/**
 * A Xen toolstack (libxl-like) that turns a guest configuration into the scenario that guest sees:
 * its devices with the bytes their backends present, and the trusted artefacts the toolstack writes
 * (device tree on Arm, and whichever proposed channels are asked for), each published by the
 * discovery mechanism of that id.
 */
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { minimalVirtioConfigSpace } from '../discovery/config-space-edit.ts';
import { bytesToHex } from '../discovery/hex-bytes.ts';
import { honestPublisher, type Publisher } from '../discovery/mechanism.ts';
import { isMechanismId, mechanismEntry } from '../discovery/mechanism-catalogue.ts';
import { discoveryMechanisms } from '../discovery/registry.ts';
import { mechanismUnavailable, rootBusBridgeHasParent } from './platform-channels.ts';
import { toolstackView, type ToolstackOptions, type ToolstackView, type XlGuestConfig, type XlVirtioDevice } from './toolstack-config.ts';

/** The configuration types and resolution rules, re-exported so the toolstack is one import. */
export { resolveGrantUsage, toolstackView } from './toolstack-config.ts';
export type { IommuMapLength, ToolstackDevice, ToolstackOptions, ToolstackView, XlGuestConfig, XlVirtioDevice } from './toolstack-config.ts';

/** Options of {@link buildScenario} beyond the toolstack's own. */
export interface BuildScenarioOptions extends ToolstackOptions {
  /** Publisher per mechanism id (default honest), e.g. a hostile backend for a backend-written one. */
  publishers?: Readonly<Record<string, Publisher>>;
}

/** Why a configuration was rejected. */
export type ToolstackProblem =
  | { code: 'unknown-mechanism'; mechanism: string }
  | { code: 'unavailable-mechanism'; mechanism: string; reason: string }
  | { code: 'pv-on-arm' }
  | { code: 'pci-without-bdf'; device: string }
  | { code: 'duplicate-device'; device: string };

/**
 * The default publication: on Arm the device tree, with `iommus` for virtio-mmio as upstream libxl
 * writes it and, for virtio-pci (which upstream libxl does not support at all), the host-bridge
 * `iommu-map` of the unmerged Nov-2023 RFC; on x86 nothing a guest can read, as upstream.
 */
export function defaultPublished(guest: XlGuestConfig): string[] {
  return guest.arch === 'arm' ? ['dt-iommus', 'dt-iommu-map'] : [];
}

/** The virtio device ID in an xl `type=virtio,device<N>` string (N hex), or 0 for the generic form. */
export function virtioDeviceIdOf(type: string): number {
  const match = /^virtio,device([0-9a-f]+)$/.exec(type);
  return match ? Number.parseInt(match[1]!, 16) : 0;
}

// The minimal config space of a device type never changes; property runs build thousands of
// scenarios, so its hex form is made once per type.
const minimalConfigHex = new Map<number, string>();
function minimalConfigSpaceHex(virtioDeviceId: number): string {
  let hex = minimalConfigHex.get(virtioDeviceId);
  if (hex === undefined) {
    hex = bytesToHex(minimalVirtioConfigSpace(virtioDeviceId));
    minimalConfigHex.set(virtioDeviceId, hex);
  }
  return hex;
}

function scenarioDevice(config: XlVirtioDevice, guest: XlGuestConfig): ScenarioDevice {
  const features = config.deviceFeatures ?? VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM;
  const deviceFeatures = `0x${features.toString(16)}`;
  // Literal objects, no spreads: property runs build this for every device of every scenario.
  if (config.transport === 'mmio') {
    const device: ScenarioDevice = { id: config.id, deviceFeatures, transport: 'mmio', backendControlled: ['deviceFeatures', 'deviceConfig'] };
    if (config.deviceConfig) device.deviceConfig = bytesToHex(config.deviceConfig);
    return device;
  }
  const device: ScenarioDevice = {
    id: config.id,
    deviceFeatures,
    transport: 'pci',
    bdf: config.bdf!,
    rootBusBridgeHasParent: rootBusBridgeHasParent(guest),
    configSpace: config.configSpace ? bytesToHex(config.configSpace) : minimalConfigSpaceHex(virtioDeviceIdOf(config.type)),
    backendControlled: ['configSpace', 'deviceFeatures', 'deviceConfig'],
  };
  if (config.deviceConfig) device.deviceConfig = bytesToHex(config.deviceConfig);
  return device;
}

/** Checks a configuration; problems are data. */
export function checkConfiguration(guest: XlGuestConfig, options: BuildScenarioOptions = {}): ToolstackProblem[] {
  const problems: ToolstackProblem[] = [];
  if (guest.arch === 'arm' && guest.type === 'pv') problems.push({ code: 'pv-on-arm' });
  for (const mechanism of options.publish ?? []) {
    if (!isMechanismId(mechanism)) {
      problems.push({ code: 'unknown-mechanism', mechanism });
      continue;
    }
    const reason = mechanismUnavailable(mechanismEntry(mechanism), guest);
    if (reason !== undefined) problems.push({ code: 'unavailable-mechanism', mechanism, reason });
  }
  const seen = new Set<string>();
  for (const device of guest.virtio) {
    if (device.transport === 'pci' && !device.bdf) problems.push({ code: 'pci-without-bdf', device: device.id });
    if (seen.has(device.id)) problems.push({ code: 'duplicate-device', device: device.id });
    seen.add(device.id);
  }
  return problems;
}

/**
 * The toolstack's entry point: the scenario the guest sees. Returns problems instead of a scenario
 * when the configuration is unusable.
 */
export function buildScenario(guest: XlGuestConfig, options: BuildScenarioOptions = {}): { ok: true; scenario: Scenario; view: ToolstackView } | { ok: false; problems: ToolstackProblem[] } {
  const problems = checkConfiguration(guest, options);
  if (problems.length > 0) return { ok: false, problems };
  const view = toolstackView(guest, options);
  let scenario: Scenario = {
    guest: {
      domid: guest.domid,
      initialDomain: guest.initialDomain ?? false,
      type: guest.type,
      arch: guest.arch,
      kernel: guest.kernel ?? { xenVirtio: true, forceGrant: false },
      bootParameters: guest.bootParameters ?? [],
    },
    devices: guest.virtio.map((device) => scenarioDevice(device, guest)),
    channels: guest.arch === 'arm' ? { deviceTree: { iommuNodes: [], mmioNodes: [], pciHostBridges: [] } } : {},
  };
  for (const id of (options.publish ?? defaultPublished(guest)).filter(isMechanismId)) {
    const mechanism = discoveryMechanisms[id];
    const publisher = options.publishers?.[id] ?? honestPublisher;
    for (const device of view.devices) scenario = mechanism.publish(view, device, scenario, publisher);
  }
  return { ok: true, scenario, view };
}
