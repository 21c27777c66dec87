/**
 * Which platform channels a guest has, so that a toolstack model only builds what a real Xen system
 * can: a device tree on Arm; ACPI on Arm and on x86 HVM/PVH (an x86 PV domU has none, PV dom0 reads
 * the firmware's); xenstore everywhere; a Xen-emulated PCI host bridge or function everywhere but
 * x86 PV, whose guests see PCI only through pcifront. A mechanism is usable when the guest's
 * architecture is one of its architectures and the guest has one of its dependencies (or it has none).
 */
import type { MechanismRecord } from '../discovery/mechanism-catalogue.ts';
import { isPvDomain, type GuestArch, type GuestType } from './domain.ts';

/** A platform channel, in the dependency vocabulary of spec/mechanisms.yaml. */
export type PlatformChannel = MechanismRecord['dependencies'][number];

/** The guest facts the channels depend on. */
export interface ChannelGuest {
  arch: GuestArch;
  type: GuestType;
  initialDomain?: boolean;
}

/** The channels a guest has. */
export function guestChannels(guest: ChannelGuest): ReadonlySet<PlatformChannel> {
  const channels = new Set<PlatformChannel>(['xenstore']);
  if (guest.arch === 'arm') channels.add('device-tree');
  if (!isPvDomain(guest) || guest.initialDomain === true) channels.add('acpi');
  if (!isPvDomain(guest)) channels.add('emulated-pci');
  return channels;
}

/** Why `mechanism` cannot reach `guest`, or undefined when it can. */
export function mechanismUnavailable(mechanism: Pick<MechanismRecord, 'architectures' | 'dependencies'>, guest: ChannelGuest): string | undefined {
  if (!mechanism.architectures.includes(guest.arch)) return `it works on ${mechanism.architectures.join(', ')} only`;
  if (mechanism.dependencies.length === 0) return undefined;
  const channels = guestChannels(guest);
  return mechanism.dependencies.some((dependency) => channels.has(dependency)) ? undefined : `the guest has no ${mechanism.dependencies.join(' or ')}`;
}

/**
 * Whether a PCI function's root-bus bridge has a parent device: on Arm the DT host bridge is it; an
 * x86 PV domU's buses come from pcifront, created under the xenbus device; every other x86 guest's
 * root bus comes from ACPI with no parent (digest §5.5 notes; Linux xen-pcifront.c pcifront_scan_root).
 */
export function rootBusBridgeHasParent(guest: ChannelGuest): boolean {
  return guest.arch === 'arm' || (isPvDomain(guest) && guest.initialDomain !== true);
}
