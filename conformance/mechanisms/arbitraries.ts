/**
 * Case generators of the mechanism suite: platforms whose backend domids are published through one
 * mechanism only (spec/mechanisms.yaml), by its own publisher in reference-impl/discovery. Whether a
 * hostile backend controls the published value is the mechanism's `writer`: for `backend` the second
 * scenario of a metamorphic pair is published by a hostile publisher, for everyone else by the honest
 * one; in both, every backend-controlled byte is hostile noise.
 */
import fc from 'fast-check';
import type { MapRequest } from '../../generated/ts/schema/map-request.ts';
import { hostilePublisher, honestPublisher, type DiscoveryMechanism, type Publisher } from '../../reference-impl/discovery/index.ts';
import { buildScenario, mechanismUnavailable } from '../../reference-impl/xen/index.ts';
import { appendCapability, minimalVirtioConfigSpace } from '../../reference-impl/discovery/index.ts';
import { vendorDataCapability } from '../../reference-impl/discovery/index.ts';
import { XEN_VNDR_DATA_BACKEND_DOMID_OFFSETS } from '../../generated/ts/proposals/xen-vndr-data-backend-domid.ts';
import { XEN_VNDR_DATA_VENDOR_ID } from '../../generated/ts/proposals/xen-domid-proposals.ts';
import { supportedTransports, type Transport } from '../frontend/mechanism-transports.ts';
import {
  applyHostileBackend,
  deviceArbitrary,
  guestArbitrary,
  guestConfig,
  hostileBackendArbitrary,
  hostileDomidArbitrary,
  mapBufferArbitrary,
  type BuiltPlatform,
  type DeviceShape,
  type GuestShape,
  type PlatformShape,
} from '../frontend/arbitraries.ts';
import type { DeviceExpectation, FrontendCase } from '../frontend/invariants.ts';
import type { MechanismId } from '../../generated/ts/mechanisms.ts';
import { malformationWays, malformPublication } from './malformed.ts';

export { supportedTransports, type Transport } from '../frontend/mechanism-transports.ts';

/**
 * The guest a toolstack could give the mechanism: an x86 PV guest has no ACPI of its own and no
 * Xen-emulated PCI, so a mechanism needing those is shown an HVM guest of the same shape instead.
 */
function usableGuest(mechanism: DiscoveryMechanism, guest: GuestShape): GuestShape {
  const asToolstackSees = (shape: GuestShape) => ({ arch: shape.arch, type: shape.arch === 'arm' ? ('pvh' as const) : shape.x86Type, initialDomain: shape.initialDomain });
  if (mechanismUnavailable(mechanism.entry, asToolstackSees(guest)) === undefined) return guest;
  return { ...guest, x86Type: 'hvm' };
}

/** Platforms a mechanism can serve: its architectures, guests that have its channels, devices on its transports. */
export function mechanismPlatformArbitrary(mechanism: DiscoveryMechanism, device: fc.Arbitrary<DeviceShape> = deviceArbitrary): fc.Arbitrary<PlatformShape> {
  const transports = supportedTransports(mechanism);
  const architectures = mechanism.entry.architectures.length > 0 ? mechanism.entry.architectures : (['x86', 'arm'] as const);
  return fc.record({
    guest: fc.tuple(guestArbitrary, fc.constantFrom(...architectures)).map(([guest, arch]) => usableGuest(mechanism, { ...guest, arch })),
    devices: fc.array(
      device.map((shape) => ({ ...shape, mmio: transports.includes('mmio') && (shape.mmio || !transports.includes('pci')) })),
      { minLength: 1, maxLength: 3 },
    ),
  });
}

/**
 * Runs the toolstack publishing through `mechanism` only, with `publisher`. Every device is taken to
 * be described by the mechanism: grants towards the assigned domid when grant_usage holds, else none.
 */
export function buildWithMechanism(mechanism: DiscoveryMechanism, platform: PlatformShape, publisher: Publisher = honestPublisher, configSpace?: Uint8Array): BuiltPlatform {
  const config = guestConfig(platform);
  const virtio = configSpace ? config.virtio.map((device) => (device.transport === 'pci' ? { ...device, configSpace } : device)) : config.virtio;
  const built = buildScenario({ ...config, virtio }, { publish: [mechanism.id], publishers: { [mechanism.id]: publisher } });
  if (!built.ok) throw new Error(`generator produced an unusable configuration: ${JSON.stringify(built.problems)}`);
  const expectations: Record<string, DeviceExpectation> = {};
  for (const device of built.view.devices) {
    expectations[device.id] = {
      assignedDomid: device.backendDomid,
      grantUsage: device.grantUsage,
      trusted: device.grantUsage ? { kind: 'grants', domid: device.backendDomid } : { kind: 'no-grants' },
    };
  }
  return { scenario: built.scenario, view: built.view, expectations };
}

/**
 * One platform with a hostile backend's noise, published by the mechanism's writer: honestly, except
 * that a backend writer may publish a domid of its choosing (the expectations stay the toolstack's).
 */
export function mechanismPlatformCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const backendChoice = mechanism.entry.writer === 'backend' ? fc.option(hostileDomidArbitrary, { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(mechanismPlatformArbitrary(mechanism), hostileBackendArbitrary, backendChoice).map(([platform, backend, chosen]) => {
    const honest = buildWithMechanism(mechanism, platform);
    const built = chosen === undefined ? honest : { ...buildWithMechanism(mechanism, platform, hostilePublisher(chosen)), expectations: honest.expectations };
    return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
  });
}

/**
 * Trusted source: the same platform twice with different backend noise; when the backend writes the
 * mechanism, the second time it also publishes a domid of its choosing.
 */
export function mechanismTrustedSourceCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const backendWrites = mechanism.entry.writer === 'backend';
  return fc.tuple(mechanismPlatformArbitrary(mechanism), hostileBackendArbitrary, hostileBackendArbitrary, hostileDomidArbitrary).map(([platform, first, second, domid]) => {
    const honest = buildWithMechanism(mechanism, platform);
    const other = backendWrites ? buildWithMechanism(mechanism, platform, hostilePublisher(domid)) : honest;
    return { scenario: applyHostileBackend(honest, first), variant: applyHostileBackend(other, second), expectations: honest.expectations };
  });
}

/** Self grants: the initial domain or a domU whose devices are assigned to the guest itself. */
export function mechanismSelfGrantCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const device = deviceArbitrary.map((shape) => ({ ...shape, backend: 'self' as const, grantUsage: true }));
  return fc.tuple(mechanismPlatformArbitrary(mechanism, device), hostileBackendArbitrary).map(([platform, backend]) => {
    const built = buildWithMechanism(mechanism, platform);
    return { scenario: applyHostileBackend(built, backend), expectations: built.expectations };
  });
}

/** Valid domid: the mechanism's writer publishes any 16-bit domid, reserved ones included. */
export function mechanismPublishedDomidCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  return fc.tuple(mechanismPlatformArbitrary(mechanism), hostileDomidArbitrary, hostileBackendArbitrary).map(([platform, domid, backend]) => {
    const built = buildWithMechanism(mechanism, platform, hostilePublisher(domid));
    const expectations = Object.fromEntries(Object.entries(built.expectations).map(([id, { trusted: _trusted, ...rest }]) => [id, rest]));
    return { scenario: applyHostileBackend(built, backend), expectations };
  });
}

/** Grant scope: an honestly published platform and buffers for one of its devices. */
export function mechanismMapCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  return fc.tuple(mechanismPlatformCases(mechanism), fc.nat(), fc.array(mapBufferArbitrary, { minLength: 1, maxLength: 4 })).map(([testCase, pick, buffers]) => {
    const device = testCase.scenario.devices[pick % testCase.scenario.devices.length]!;
    const request: MapRequest = { deviceId: device.id, buffers };
    return { ...testCase, request };
  });
}

/** A vendor data capability in the Xen proposal's layout but qualified by another vendor's ID. */
export function foreignVendorDataCapability(vendorId: number, domid: number): Uint8Array {
  const bytes = vendorDataCapability(domid);
  bytes[XEN_VNDR_DATA_BACKEND_DOMID_OFFSETS.vendorId] = vendorId & 0xff;
  bytes[XEN_VNDR_DATA_BACKEND_DOMID_OFFSETS.vendorId + 1] = vendorId >> 8;
  return bytes;
}

/**
 * Foreign vendor data (PCI-DRV-22): the same platform published through the mechanism, the variant's
 * PCI functions carrying first a vendor data capability of another vendor with the same payload
 * format and a domid of the backend's choosing.
 */
export function mechanismForeignVendorCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const vendorId = fc.integer({ min: 0, max: 0xffff }).filter((id) => id !== XEN_VNDR_DATA_VENDOR_ID);
  return fc.tuple(mechanismPlatformArbitrary(mechanism), vendorId, hostileDomidArbitrary).map(([platform, foreignVendor, domid]) => {
    const plain = buildWithMechanism(mechanism, platform);
    const appended = appendCapability(minimalVirtioConfigSpace(1), foreignVendorDataCapability(foreignVendor, domid));
    const variant = appended.ok ? buildWithMechanism(mechanism, platform, honestPublisher, appended.config).scenario : plain.scenario;
    return { scenario: plain.scenario, variant, expectations: plain.expectations, change: `a vendor data capability of vendor 0x${foreignVendor.toString(16)} naming domid ${domid}` };
  });
}

/**
 * Fail closed: a platform whose devices all use grants, published through the mechanism, with backend
 * noise (no random config space, so published capabilities stay findable), then the publication for
 * one device made malformed in one of the ways its format allows (malformed.ts); the devices whose
 * source broke are marked.
 */
export function mechanismMalformedCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const device = deviceArbitrary.map((shape) => ({ ...shape, grantUsage: true }));
  return fc.tuple(mechanismPlatformArbitrary(mechanism, device), hostileBackendArbitrary, fc.nat(), fc.nat()).map(([platform, backend, pick, way]) => {
    const built = buildWithMechanism(mechanism, platform);
    const noisy = applyHostileBackend(built, backend.map((bytes) => ({ ...bytes, randomConfig: undefined })));
    const target = noisy.devices[pick % noisy.devices.length]!;
    const broken = malformPublication(mechanism.id as MechanismId, noisy, target, way % Math.max(1, malformationWays(mechanism.id as MechanismId)));
    const expectations: Record<string, DeviceExpectation> = {};
    for (const [id, { trusted: _trusted, ...rest }] of Object.entries(built.expectations)) {
      expectations[id] = broken?.devices.includes(id) ? { ...rest, malformedTrusted: broken.reason } : rest;
    }
    return { scenario: broken?.scenario ?? noisy, expectations };
  });
}

/**
 * Ignoring an undeclared mechanism (XEN-INV-23): the same platform and backend twice, once with
 * nothing published and once published through `mechanism` (by its writer; a backend writer picks a
 * domid of its choice). A frontend that does not read the mechanism decides the same both times.
 */
export function mechanismIgnoredCases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  const backendWrites = mechanism.entry.writer === 'backend';
  return fc.tuple(mechanismPlatformArbitrary(mechanism), hostileBackendArbitrary, hostileDomidArbitrary).map(([platform, backend, domid]) => {
    const config = guestConfig(platform);
    const bare = buildScenario(config, { publish: [] });
    if (!bare.ok) throw new Error(`generator produced an unusable configuration: ${JSON.stringify(bare.problems)}`);
    const published = buildWithMechanism(mechanism, platform, backendWrites ? hostilePublisher(domid) : honestPublisher);
    const plain = backend.map((bytes) => ({ ...bytes, publications: bytes.publications.filter((publication) => publication.mechanism !== mechanism.id) }));
    return {
      scenario: applyHostileBackend({ scenario: bare.scenario, view: bare.view }, plain),
      variant: applyHostileBackend(published, plain),
      expectations: published.expectations,
      change: `publishing through ${mechanism.id}`,
    };
  });
}

/** Mechanisms `partner` and `mechanism` can both describe a device of, and guests both can reach. */
function sharedTransports(mechanism: DiscoveryMechanism, partner: DiscoveryMechanism): Transport[] {
  return supportedTransports(mechanism).filter((transport) => supportedTransports(partner).includes(transport));
}

/** The partners (other trusted, non-constant mechanisms of another format) that can describe the same devices as `mechanism`. */
export function disagreementPartners(mechanism: DiscoveryMechanism, candidates: readonly DiscoveryMechanism[]): DiscoveryMechanism[] {
  const format = (candidate: DiscoveryMechanism) => candidate.entry.sameFormatAs ?? candidate.id;
  return candidates.filter(
    (partner) =>
      format(partner) !== format(mechanism) &&
      partner.entry.trusted &&
      partner.entry.writer !== 'constant' &&
      partner.modelled &&
      sharedTransports(mechanism, partner).length > 0 &&
      partner.entry.architectures.some((arch) => mechanism.entry.architectures.includes(arch)),
  );
}

/**
 * Two trusted sources that disagree (XEN-INV-14): the platform published honestly through
 * `mechanism` and through a partner naming another domid; every device both describe with different
 * domids is marked malformed, so a frontend must use no grants or refuse it, never pick one.
 */
export function mechanismDisagreementCases(mechanism: DiscoveryMechanism, partners: readonly DiscoveryMechanism[]): fc.Arbitrary<FrontendCase> {
  const device = deviceArbitrary.map((shape) => ({ ...shape, grantUsage: true }));
  return fc.tuple(fc.constantFrom(...partners), fc.nat(), fc.array(device, { minLength: 1, maxLength: 3 }), guestArbitrary, hostileDomidArbitrary, hostileBackendArbitrary).map(([partner, archPick, devices, guestShape, domid, backend]) => {
    const architectures = partner.entry.architectures.filter((arch) => mechanism.entry.architectures.includes(arch));
    const arch = architectures[archPick % architectures.length]!;
    const transports = sharedTransports(mechanism, partner);
    const guest = usableGuest(partner, usableGuest(mechanism, { ...guestShape, arch }));
    const platform: PlatformShape = { guest, devices: devices.map((shape) => ({ ...shape, mmio: transports.includes('mmio') && (shape.mmio || !transports.includes('pci')) })) };
    const built = buildScenario(guestConfig(platform), { publish: [mechanism.id, partner.id], publishers: { [partner.id]: hostilePublisher(domid) } });
    if (!built.ok) throw new Error(`generator produced an unusable configuration: ${JSON.stringify(built.problems)}`);
    const expectations: Record<string, DeviceExpectation> = {};
    for (const [index, resolved] of built.view.devices.entries()) {
      const scenarioDevice = built.scenario.devices[index]!;
      const mine = mechanism.read(built.scenario, scenarioDevice);
      const theirs = partner.read(built.scenario, scenarioDevice);
      const disagree = mine.kind === 'domid' && theirs.kind === 'domid' && mine.domid !== theirs.domid;
      expectations[resolved.id] = {
        assignedDomid: resolved.backendDomid,
        grantUsage: resolved.grantUsage,
        ...(disagree && { malformedTrusted: `trusted sources disagree: ${mechanism.id} says ${mine.domid}, ${partner.id} says ${theirs.domid}` }),
      };
    }
    return { scenario: applyHostileBackend({ scenario: built.scenario, view: built.view }, backend), expectations };
  });
}
