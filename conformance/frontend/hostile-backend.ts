/**
 * A hostile backend as data: feature bits, config-space bytes and device-config bytes of its choice,
 * and, through every mechanism whose writer is the backend in spec/mechanisms.yaml, a domid of its
 * choice published the way that mechanism's publisher does it. The list of channels comes from the
 * catalogue, so a new backend-written mechanism is varied by every property without new code here.
 *
 * Placement is checked: a publication the generator asks for must read back as published wherever
 * the mechanism describes the device's transport, or the generator throws (a case that silently
 * lost its hostile capability would test nothing). Random config spaces keep their last bytes free
 * and their random capability list short of them, so that there is always room.
 */
import { XvcError } from '../../core/xvc-error.ts';
import fc from 'fast-check';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import type { MechanismId } from '../../generated/ts/mechanisms.ts';
import { PCI_CAP_HEADER_OFFSETS, PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAPABILITY_LIST, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS } from '../../generated/ts/pci/pci-type0-header.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { bytesToHex, discoveryMechanisms, hostilePublisher, type DiscoveryMechanism } from '../../reference-impl/discovery/index.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import type { ToolstackView } from '../../reference-impl/xen/index.ts';
import { biased, domidEdges } from './boundaries.ts';
import { supportedTransports } from './mechanism-transports.ts';

/** One backend-written publication: through `mechanism`, naming `domid`. */
export interface HostilePublication {
  mechanism: MechanismId;
  domid: number;
}

/** What a hostile backend puts into one device's backend-controlled fields. */
export interface HostileDeviceBytes {
  features: bigint;
  /** Arbitrary config-space bytes replacing the toolstack's header (PCI only). */
  randomConfig?: Uint8Array;
  /** Publications through backend-written mechanisms, at most one per mechanism. */
  publications: HostilePublication[];
  deviceConfig: Uint8Array;
}

/** A hostile backend: bytes per device (cycled when there are more devices). */
export type HostileBackend = HostileDeviceBytes[];

/** Every mechanism of the catalogue whose value the backend writes and that xvc can publish. */
export const backendWrittenMechanisms: readonly DiscoveryMechanism[] = Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.writer === 'backend' && mechanism.modelled);

/** Bytes at the top of a random config space left free for publications. */
const RANDOM_CONFIG_ROOM = 64;

/**
 * `length` arbitrary bytes from a 32-bit seed (xorshift32), so that a whole config space costs one
 * generated value instead of 256; shrinking then works on the seed.
 */
export function seededBytes(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed | 0 || 0x9e3779b9;
  for (let index = 0; index < length; index += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    for (let lane = 0; lane < 4 && index + lane < length; lane++) bytes[index + lane] = (state >>> (lane * 8)) & 0xff;
  }
  return bytes;
}

/**
 * A random config space from `seed` with room for publications: the top bytes are zero and the
 * random capability list is cut before any vendor-specific capability (which a backend-written
 * reader could take for a publication) and before anything reaching the free bytes.
 */
export function randomConfigSpace(seed: number): Uint8Array {
  const config = seededBytes(seed, PCI_CFG_SPACE_SIZE);
  const free = PCI_CFG_SPACE_SIZE - RANDOM_CONFIG_ROOM;
  config.fill(0, free);
  const found = walkCapabilities(config).capabilities;
  const cut = found.findIndex((capability) => capability.id === PciCapId.VNDR || capability.offset + Math.max(capability.length ?? 0, PCI_CAP_HEADER_OFFSETS.capNext + 1) > free);
  if (cut === 0) config[PCI_CAPABILITY_LIST] = 0;
  else if (cut > 0) config[found[cut - 1]!.offset + PCI_CAP_HEADER_OFFSETS.capNext] = 0;
  return config;
}

const grantReady = VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM;

/** A domid a backend might write: dom0, small domUs, anything 16-bit, and often one of the named edges. */
export const hostileDomidArbitrary: fc.Arbitrary<number> = biased(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 0xffff })), domidEdges, 3);

/** Feature words: mostly grant-ready (with extra bits), sometimes anything, sometimes one of the two missing. */
export const featuresArbitrary: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 5, arbitrary: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((low) => grantReady | low) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(VirtioFeatures.VERSION_1, VirtioFeatures.ACCESS_PLATFORM, 0n) },
);

/** Publications through a subset of the backend-written mechanisms, each with its own domid. */
export const publicationsArbitrary: fc.Arbitrary<HostilePublication[]> = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...backendWrittenMechanisms.map((mechanism) => mechanism.id)), hostileDomidArbitrary), { maxLength: 3, selector: ([mechanism]) => mechanism })
  .map((list) => list.map(([mechanism, domid]) => ({ mechanism, domid })));

/** Bytes of one hostile device. */
export const hostileDeviceArbitrary: fc.Arbitrary<HostileDeviceBytes> = fc
  .tuple(featuresArbitrary, fc.option(fc.integer(), { freq: 6, nil: undefined }), publicationsArbitrary, fc.uint8Array({ maxLength: 12 }))
  .map(([features, configSeed, publications, deviceConfig]) => ({
    features,
    ...(configSeed !== undefined && { randomConfig: randomConfigSpace(configSeed) }),
    publications,
    deviceConfig,
  }));

/** A hostile backend for up to three devices. */
export const hostileBackendArbitrary: fc.Arbitrary<HostileBackend> = fc.array(hostileDeviceArbitrary, { minLength: 1, maxLength: 3 });

/** The platform a hostile backend is applied to. */
export interface HostilePlatform {
  scenario: Scenario;
  view: ToolstackView;
}

/** A generator asked for a publication the platform could not take. */
export class PlacementError extends XvcError<'hostilePlacement'> {
  constructor(
    readonly mechanism: string,
    readonly deviceId: string,
    detail: string,
  ) {
    super('hostilePlacement', `the hostile backend could not publish ${mechanism} for ${deviceId}: ${detail}`, { mechanism, deviceId, detail });
  }
}

/** Bytes of the header that name the function (vendor and device ID): kept, so that it stays the virtio device it was. */
const IDENTITY_BYTES = PCI_TYPE0_HEADER_OFFSETS.deviceId + 2;

/** A device with the backend's own bytes in the fields it controls. */
function withBackendBytes(device: ScenarioDevice, bytes: HostileDeviceBytes): ScenarioDevice {
  const changed: ScenarioDevice = { ...device, deviceFeatures: `0x${bytes.features.toString(16)}`, deviceConfig: bytesToHex(bytes.deviceConfig) };
  if (device.transport === 'pci' && device.configSpace !== undefined && bytes.randomConfig) {
    // Random everywhere but the identity: with another vendor ID no virtio driver would bind at all.
    changed.configSpace = device.configSpace.slice(0, 2 * IDENTITY_BYTES) + bytesToHex(bytes.randomConfig.subarray(IDENTITY_BYTES));
  }
  return changed;
}

/**
 * True when going from `before` to `after` changed something the backend does not control: a
 * trusted channel (anything but a channel the backend itself runs), or a device field the scenario
 * does not mark backend-controlled.
 */
function touchesTrustedInput(before: Scenario, after: Scenario): boolean {
  const backendRun = (channel: unknown): boolean => {
    const run = channel as { runBy?: string; emulatedBy?: string } | undefined;
    return run?.runBy === 'backend' || run?.emulatedBy === 'backend';
  };
  const keys = new Set([...Object.keys(before.channels), ...Object.keys(after.channels)]) as Set<keyof Scenario['channels']>;
  for (const key of keys) {
    const old = before.channels[key];
    const now = after.channels[key];
    if (old === now) continue;
    if (!backendRun(now) || (old !== undefined && !backendRun(old))) return true;
  }
  if (after.guest !== before.guest && JSON.stringify(after.guest) !== JSON.stringify(before.guest)) return true;
  for (const [index, device] of after.devices.entries()) {
    const previous = before.devices[index]!;
    // A publisher copies what it does not change: an untouched device is the same object.
    if (device === previous) continue;
    for (const field of new Set([...Object.keys(previous), ...Object.keys(device)])) {
      if (field === 'backendControlled' || device.backendControlled.includes(field as never)) continue;
      const key = field as keyof ScenarioDevice;
      const old = previous[key];
      const now = device[key];
      // Strings and numbers compare as they are; only nested values need their JSON compared.
      if (old === now) continue;
      if (typeof old !== 'object' || typeof now !== 'object' || JSON.stringify(old) !== JSON.stringify(now)) return true;
    }
  }
  return false;
}

/**
 * Puts a hostile backend's bytes into a built platform: features, config space and device config of
 * its choice, then every publication it asks for, each through its mechanism's own publisher. A
 * mechanism already carrying a value for the device (the platform under test publishes through it)
 * is left alone, as is one whose channel the platform gives to a trusted party. Throws a
 * PlacementError when a publication does not read back where the mechanism describes the device.
 */
export function applyHostileBackend(built: HostilePlatform, backend: HostileBackend): Scenario {
  let scenario: Scenario = { ...built.scenario, devices: built.scenario.devices.map((device, index) => withBackendBytes(device, backend[index % backend.length]!)) };
  for (const [index, original] of built.scenario.devices.entries()) {
    const bytes = backend[index % backend.length]!;
    const toolstackDevice = built.view.devices.find((candidate) => candidate.id === original.id);
    if (!toolstackDevice) continue;
    for (const publication of bytes.publications) {
      const mechanism = discoveryMechanisms[publication.mechanism];
      const current = scenario.devices[index]!;
      if (!supportedTransports(mechanism).includes(current.transport)) continue;
      if (mechanism.read(scenario, current).kind !== 'absent') continue;
      const published = mechanism.publish(built.view, toolstackDevice, scenario, hostilePublisher(publication.domid));
      if (touchesTrustedInput(scenario, published)) continue;
      const reading = mechanism.read(published, published.devices[index]!);
      if (reading.kind !== 'domid' || reading.domid !== publication.domid) {
        throw new PlacementError(mechanism.id, original.id, `it reads back as ${JSON.stringify(reading)}, not domid ${publication.domid}`);
      }
      scenario = published;
    }
  }
  return scenario;
}
