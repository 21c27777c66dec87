/**
 * A capability walker whose every rule can be switched off, for mutants of the reference frontend
 * that look at a device's backend-domid capabilities (digest §4.3, VS13 §4.1.4.1). With every rule on
 * it finds what reference-impl/pci's walker finds; each mutant breaks one rule. Bounded whatever the
 * flags say: a walk that would not end reports so instead of hanging.
 */
import { PCI_CAP_HEADER_OFFSETS, PCI_CAP_ID_END_OF_LIST, PCI_CAP_PTR_MASK, PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAP_FIRST_OFFSET, PCI_CAPABILITY_LIST, PCI_FIND_CAP_TTL } from '../../../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../../generated/ts/pci/pci-type0-header.ts';
import { decodeXenBackendDomidCap, XEN_BACKEND_DOMID_CAP_SIZE } from '../../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID, XEN_VNDR_DATA_VENDOR_ID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { decodeXenVndrDataBackendDomid, XEN_VNDR_DATA_BACKEND_DOMID_SIZE } from '../../../generated/ts/proposals/xen-vndr-data-backend-domid.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VIRTIO_PCI_CAP_SIZE, VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_BAR_MAX, VIRTIO_PCI_CAP_MAP_LIMIT } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { readLe } from '../../../reference-impl/pci/index.ts';

/** The rules of a capability walk; `true` keeps a rule. */
export interface WalkRules {
  /** Walk only when the Capabilities List status bit is set. */
  statusBit: boolean;
  /** Mask the two reserved low bits of every pointer. */
  maskLowBits: boolean;
  /** End the walk at a pointer below 0x40. */
  stopInHeader: boolean;
  /** End the walk at capability ID 0xFF. */
  stopAtFf: boolean;
  /** Bound the walk to 48 steps (else: it reports that it does not end after a long while). */
  boundWalk: boolean;
  /** Take a capability whose cap_len is larger than its layout. */
  acceptLongerCapLen: boolean;
  /** Skip virtio capabilities with a reserved BAR index. */
  skipReservedBar: boolean;
  /** Skip virtio capabilities with a cfg_type the driver does not know. */
  skipUnknownCfgType: boolean;
  /** Use the first capability of a type, not the last. */
  firstOfType: boolean;
  /** Cope with a structure length past what a driver maps (else: refuse the device). */
  copeWithLength: boolean;
}

/** Every rule kept: a conformant walk. */
export const conformantWalk: WalkRules = {
  statusBit: true,
  maskLowBits: true,
  stopInHeader: true,
  stopAtFf: true,
  boundWalk: true,
  acceptLongerCapLen: true,
  skipReservedBar: true,
  skipUnknownCfgType: true,
  firstOfType: true,
  copeWithLength: true,
};

/** What a walk made of a config space: the backend-domid a device claims, or why it stopped. */
export type WalkVerdict = { kind: 'claims'; domid: number } | { kind: 'nothing' } | { kind: 'endless' } | { kind: 'too-long'; length: number };

/** Steps after which an unbounded walk is taken to be endless. */
const ENDLESS = 4096;

/** The backend domid the device's own capabilities claim, walking by `rules`. */
export function claimedDomid(config: Uint8Array, rules: WalkRules): WalkVerdict {
  if (config.length <= PCI_CAPABILITY_LIST) return { kind: 'nothing' };
  if (rules.statusBit && (readLe(config, PCI_TYPE0_HEADER_OFFSETS.status, 2) & PciStatus.CAP_LIST) === 0) return { kind: 'nothing' };
  const claims: number[] = [];
  let pointer = config[PCI_CAPABILITY_LIST]!;
  for (let step = 0; ; step++) {
    if (rules.boundWalk ? step >= PCI_FIND_CAP_TTL : step >= ENDLESS) {
      if (!rules.boundWalk) return { kind: 'endless' };
      break;
    }
    const position = rules.maskLowBits ? pointer & PCI_CAP_PTR_MASK : pointer;
    if (position === 0 || (rules.stopInHeader && position < PCI_CAP_FIRST_OFFSET) || position + VIRTIO_PCI_CAP_OFFSETS.cfgType >= config.length) break;
    const id = config[position + PCI_CAP_HEADER_OFFSETS.capId]!;
    if (rules.stopAtFf && id === PCI_CAP_ID_END_OF_LIST) break;
    if (id === PciCapId.VNDR) {
      const capLen = config[position + VIRTIO_PCI_CAP_OFFSETS.capLen]!;
      const cfgType = config[position + VIRTIO_PCI_CAP_OFFSETS.cfgType]!;
      const bar = config[position + VIRTIO_PCI_CAP_OFFSETS.bar]!;
      if (!rules.copeWithLength && cfgType !== VirtioPciCfgType.VENDOR_CFG && capLen >= VIRTIO_PCI_CAP_SIZE && position + VIRTIO_PCI_CAP_SIZE <= config.length) {
        const length = readLe(config, position + VIRTIO_PCI_CAP_OFFSETS.length, 4);
        if (length > VIRTIO_PCI_CAP_MAP_LIMIT) return { kind: 'too-long', length };
      }
      const claim = claimAt(config, position, capLen, cfgType, bar, rules);
      if (claim !== undefined) claims.push(claim);
    }
    pointer = config[position + PCI_CAP_HEADER_OFFSETS.capNext]!;
  }
  if (claims.length === 0) return { kind: 'nothing' };
  return { kind: 'claims', domid: rules.firstOfType ? claims[0]! : claims.at(-1)! };
}

/** The domid the capability at `position` claims, if it is a backend-domid capability the rules take. */
function claimAt(config: Uint8Array, position: number, capLen: number, cfgType: number, bar: number, rules: WalkRules): number | undefined {
  const fits = (size: number) => (rules.acceptLongerCapLen ? capLen >= size : capLen === size) && position + size <= config.length;
  if (cfgType === VirtioPciCfgType.VENDOR_CFG) {
    if (!fits(XEN_VNDR_DATA_BACKEND_DOMID_SIZE)) return undefined;
    const decoded = decodeXenVndrDataBackendDomid(config, position, position + XEN_VNDR_DATA_BACKEND_DOMID_SIZE).value;
    return decoded.vendorId === XEN_VNDR_DATA_VENDOR_ID && decoded.valid ? decoded.backendDomid : undefined;
  }
  const known = rules.skipUnknownCfgType ? cfgType === XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID : cfgType >= XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID;
  if (!known || (rules.skipReservedBar && bar > VIRTIO_PCI_BAR_MAX) || !fits(XEN_BACKEND_DOMID_CAP_SIZE)) return undefined;
  const decoded = decodeXenBackendDomidCap(config, position, position + XEN_BACKEND_DOMID_CAP_SIZE).value;
  return decoded.valid ? decoded.backendDomid : undefined;
}
