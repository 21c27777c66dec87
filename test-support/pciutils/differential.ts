import type { DecodedCapability, DecodedDevice } from '../../targets/dump/device-decoding.ts';
import { lspciVirtioCfgType, type LspciDevice } from './lspci-vvv-parser.ts';
import { knownDifferenceFor, type KnownDifference } from './known-differences.ts';

/** What can disagree between xvc decode and lspci for one device. */
export type DisagreementKind =
  | 'device-missing'
  | 'capability-offsets'
  | 'capability-id'
  | 'virtio-shown'
  | 'virtio-cfg-type'
  | 'virtio-bar'
  | 'virtio-offset'
  | 'virtio-length'
  | 'virtio-multiplier'
  | 'extended-offsets'
  | 'extended-version';

/** One disagreement, with both sides' values. */
export interface Disagreement {
  device: string;
  kind: DisagreementKind;
  /** Capability offset it concerns, when it concerns one. */
  offset?: number;
  xvc: unknown;
  lspci: unknown;
}

/** A disagreement and, when it is a documented one, the entry that explains it. */
export interface ClassifiedDisagreement extends Disagreement {
  known?: KnownDifference;
}

/**
 * Compares one device as xvc decodes it with what lspci printed for it. Some differences are not
 * disagreements, because both sides say the same thing in different ways:
 * - lspci shows no virtio fields for a capability whose cap_len is below 16 or that runs past the data;
 *   xvc still decodes it but marks it incomplete (`complete: false`, with an issue). Only a *complete*
 *   xvc capability that lspci does not decode, or an incomplete one that lspci does, disagrees.
 * - lspci prints the notify multiplier only when cap_len is at least 20; xvc decodes it always and marks
 *   a shorter capability incomplete. Multipliers are compared when lspci printed one.
 * - The legacy list ends at `<chain looped>` / `<chain broken>` in lspci and at a `loop` / `id-ff` issue in
 *   xvc: only the capabilities themselves are compared.
 */
export function compareDevice(xvc: DecodedDevice, lspci: LspciDevice): Disagreement[] {
  const out: Disagreement[] = [];
  const device = xvc.bdf;
  const xvcOffsets = xvc.capabilities.map((c) => c.offset);
  const lspciOffsets = lspci.capabilities.map((c) => c.offset);
  if (xvcOffsets.join(',') !== lspciOffsets.join(',')) out.push({ device, kind: 'capability-offsets', xvc: xvcOffsets, lspci: lspciOffsets });
  const byOffset = new Map(lspci.capabilities.map((c) => [c.offset, c]));
  for (const cap of xvc.capabilities) {
    const theirs = byOffset.get(cap.offset);
    if (!theirs) continue;
    if (theirs.id !== undefined && theirs.id !== cap.id) out.push({ device, kind: 'capability-id', offset: cap.offset, xvc: cap.id, lspci: theirs.id });
    if (cap.cfgType === undefined) {
      if (theirs.virtio) out.push({ device, kind: 'virtio-shown', offset: cap.offset, xvc: 'not a virtio capability', lspci: theirs.virtio.typeName });
      continue;
    }
    out.push(...compareVirtio(device, cap, theirs.virtio));
  }
  const xvcExtended = xvc.extendedCapabilities.map((e) => e.offset);
  const lspciExtended = lspci.extended.map((e) => e.offset);
  // lspci lists extended capabilities only for functions with a PCI Express or PCI-X capability.
  const lspciWalksExtended = xvc.capabilities.some((c) => c.id === 0x10 || c.id === 0x07) && xvc.configSize > 256;
  if (lspciWalksExtended) {
    if (xvcExtended.join(',') !== lspciExtended.join(',')) out.push({ device, kind: 'extended-offsets', xvc: xvcExtended, lspci: lspciExtended });
    const versions = new Map(lspci.extended.map((e) => [e.offset, e.version]));
    for (const ext of xvc.extendedCapabilities) {
      const version = versions.get(ext.offset);
      if (version !== undefined && version !== ext.version) out.push({ device, kind: 'extended-version', offset: ext.offset, xvc: ext.version, lspci: version });
    }
  }
  return out;
}

function compareVirtio(device: string, cap: DecodedCapability, theirs: LspciDevice['capabilities'][number]['virtio']): Disagreement[] {
  const out: Disagreement[] = [];
  const complete = cap.complete === true;
  if (!theirs || theirs.bar === undefined) {
    if (complete) out.push({ device, kind: 'virtio-shown', offset: cap.offset, xvc: { cfgType: cap.cfgType, capLen: cap.capLen, complete }, lspci: theirs?.typeName ?? 'not decoded as virtio' });
    return out;
  }
  if (!complete && (cap.capLen ?? 0) < 16) {
    out.push({ device, kind: 'virtio-shown', offset: cap.offset, xvc: { cfgType: cap.cfgType, capLen: cap.capLen, complete }, lspci: theirs.typeName });
  }
  const named = lspciVirtioCfgType(theirs.typeName);
  const cfgTypeAgrees = named === undefined ? cap.cfgType! < 1 || cap.cfgType! > 4 : named === cap.cfgType;
  if (!cfgTypeAgrees) out.push({ device, kind: 'virtio-cfg-type', offset: cap.offset, xvc: cap.cfgType, lspci: theirs.typeName });
  if (cap.bar !== theirs.bar) out.push({ device, kind: 'virtio-bar', offset: cap.offset, xvc: cap.bar, lspci: theirs.bar });
  if (cap.barOffset === undefined || String(cap.barOffset) !== String(theirs.offset)) out.push({ device, kind: 'virtio-offset', offset: cap.offset, xvc: cap.barOffset, lspci: theirs.offset });
  if (cap.length === undefined || String(cap.length) !== String(theirs.size)) out.push({ device, kind: 'virtio-length', offset: cap.offset, xvc: cap.length, lspci: theirs.size });
  if (theirs.multiplier !== undefined && cap.notifyOffMultiplier !== theirs.multiplier) out.push({ device, kind: 'virtio-multiplier', offset: cap.offset, xvc: cap.notifyOffMultiplier, lspci: theirs.multiplier });
  return out;
}

/** Compares every device: xvc's by bdf against lspci's by address; classifies each disagreement. */
export function compareListings(xvcDevices: readonly DecodedDevice[], lspciDevices: readonly LspciDevice[]): ClassifiedDisagreement[] {
  const theirs = new Map(lspciDevices.map((d) => [d.address, d]));
  const out: ClassifiedDisagreement[] = [];
  for (const device of xvcDevices) {
    const match = theirs.get(device.bdf);
    const found = match ? compareDevice(device, match) : [{ device: device.bdf, kind: 'device-missing' as const, xvc: 'decoded', lspci: 'absent from lspci output' }];
    for (const disagreement of found) {
      const known = knownDifferenceFor(disagreement, device);
      out.push(known ? { ...disagreement, known } : disagreement);
    }
  }
  return out;
}
