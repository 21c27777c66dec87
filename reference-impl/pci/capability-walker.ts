/**
 * Walks a function's capability lists the way Linux and Xen do (digest §4.3, §4.4) and reads the
 * virtio structure capabilities the way a virtio driver must (VS13 §4.1.4.1): status bit, pointer at
 * 0x34 with its two low bits masked, stop below 0x40, stop at ID 0xFF, a TTL of 48, loops; reserved
 * cfg_type and BAR indexes flagged; larger cap_len accepted. Every anomaly is a located issue; the
 * walk never throws and visits each position at most once, so it ends on any input.
 */
import type { LayoutIssue } from '../../core/codec-runtime.ts';
import { PCI_CAP_HEADER_OFFSETS, PCI_CAP_HEADER_SIZE, PCI_CAP_ID_END_OF_LIST, PCI_CAP_PTR_MASK, PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import {
  PCI_CAP_FIRST_OFFSET,
  PCI_CAPABILITY_LIST,
  PCI_CFG_SPACE_SIZE,
  PCI_EXT_CAP_START,
  PCI_FIND_CAP_TTL,
} from '../../generated/ts/pci/pci-constants.ts';
import { decodePciExtCapHeader, PCI_EXT_CAP_HEADER_SIZE, PCI_EXT_CAP_NEXT_MASK } from '../../generated/ts/pci/pci-ext-cap-header.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../generated/ts/pci/pci-type0-header.ts';
import { virtioPciCapLayout } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { virtioPciCap64Layout } from '../../generated/ts/virtio/virtio-pci-cap64.ts';
import { virtioPciCfgCapLayout } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { virtioPciNotifyCapLayout } from '../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import { virtioPciVndrDataLayout } from '../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { decodeVirtioPciCapability, virtioPciCapabilityUnion } from '../../generated/ts/virtio/virtio-pci-capability.ts';
import { VIRTIO_PCI_BAR_MAX, VIRTIO_PCI_DEVICE_ID_MAX, VIRTIO_PCI_DEVICE_ID_MIN, VIRTIO_PCI_VENDOR_ID } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { readLe } from './le-bytes.ts';
import type { CapabilityWalk, WalkedCapability, WalkedExtendedCapability, WalkedVirtioCapability, WalkIssue } from './walk-types.ts';

export type { CapabilityWalk, WalkedCapability, WalkedExtendedCapability, WalkedVirtioCapability, WalkIssue } from './walk-types.ts';

const definedCfgTypes = new Set<number>(Object.values(VirtioPciCfgType));
const extendedAllOnes = 0xffff_ffff;

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** True when the IDs in the header name a virtio device (vendor 0x1AF4, device 0x1000..0x107F). */
export function isVirtioFunction(config: Uint8Array): boolean {
  const vendorAt = PCI_TYPE0_HEADER_OFFSETS.vendorId;
  const deviceAt = PCI_TYPE0_HEADER_OFFSETS.deviceId;
  if (config.length < Math.max(vendorAt, deviceAt) + 2) return false;
  const device = readLe(config, deviceAt, 2);
  return readLe(config, vendorAt, 2) === VIRTIO_PCI_VENDOR_ID && device >= VIRTIO_PCI_DEVICE_ID_MIN && device <= VIRTIO_PCI_DEVICE_ID_MAX;
}

/** Walks the legacy capability list and, for spaces over 256 bytes, the extended list. */
export function walkCapabilities(config: Uint8Array): CapabilityWalk {
  const issues: WalkIssue[] = [];
  const capabilities = walkLegacy(config, issues);
  const extended = config.length > PCI_CFG_SPACE_SIZE ? walkExtended(config, issues) : [];
  return { capabilities, extended, issues };
}

function walkLegacy(config: Uint8Array, issues: WalkIssue[]): WalkedCapability[] {
  const found: WalkedCapability[] = [];
  const statusAt = PCI_TYPE0_HEADER_OFFSETS.status;
  if (config.length < statusAt + 2) {
    issues.push({ code: 'truncated', offset: statusAt, needed: statusAt + 2, available: config.length, message: `config data ends after ${config.length} bytes, before the status register` });
    return found;
  }
  const status = readLe(config, statusAt, 2);
  if ((status & PciStatus.CAP_LIST) === 0) {
    issues.push({ code: 'no-capability-list', offset: statusAt, status, message: `status ${hex(status)} does not set CAP_LIST: no capability list` });
    return found;
  }
  if (config.length <= PCI_CAPABILITY_LIST) {
    issues.push({ code: 'truncated', offset: PCI_CAPABILITY_LIST, needed: PCI_CAPABILITY_LIST + 1, available: config.length, message: `config data ends before the capabilities pointer at ${hex(PCI_CAPABILITY_LIST)}` });
    return found;
  }
  const virtio = isVirtioFunction(config);
  const visited = new Set<number>();
  let pointerAt = PCI_CAPABILITY_LIST;
  let pointer = config[pointerAt]!;
  let ttl = PCI_FIND_CAP_TTL;
  // Each pass consumes TTL; the TTL bounds the loop even before the visited set would.
  for (;;) {
    const position = pointer & PCI_CAP_PTR_MASK;
    if (position !== pointer) {
      issues.push({ code: 'pointer-unaligned', offset: pointerAt, pointer, message: `pointer ${hex(pointer)} at ${hex(pointerAt)} has its reserved low bits set; following ${hex(position)}` });
    }
    if (position === 0) break;
    if (position < PCI_CAP_FIRST_OFFSET) {
      issues.push({ code: 'pointer-below-header', offset: pointerAt, pointer, message: `pointer ${hex(pointer)} at ${hex(pointerAt)} points into the header (below ${hex(PCI_CAP_FIRST_OFFSET)}); the list ends` });
      break;
    }
    if (ttl === 0) {
      issues.push({ code: 'ttl-exceeded', offset: pointerAt, ttl: PCI_FIND_CAP_TTL, message: `more than ${PCI_FIND_CAP_TTL} capabilities: walk stopped at the pointer at ${hex(pointerAt)}` });
      break;
    }
    ttl--;
    if (visited.has(position)) {
      issues.push({ code: 'loop', offset: pointerAt, pointer, message: `pointer at ${hex(pointerAt)} goes back to ${hex(position)}: the list loops` });
      break;
    }
    visited.add(position);
    if (position + PCI_CAP_HEADER_SIZE > config.length) {
      issues.push({ code: 'truncated', offset: position, needed: position + PCI_CAP_HEADER_SIZE, available: config.length, message: `capability at ${hex(position)} lies past the end of the ${config.length} bytes of data` });
      break;
    }
    const id = config[position + PCI_CAP_HEADER_OFFSETS.capId]!;
    if (id === PCI_CAP_ID_END_OF_LIST) {
      issues.push({ code: 'id-ff', offset: position, message: `capability ID ${hex(id)} at ${hex(position)} (no device or bus error): the list ends` });
      break;
    }
    const next = config[position + PCI_CAP_HEADER_OFFSETS.capNext]!;
    const capability: WalkedCapability = { offset: position, id, next };
    if (id === PciCapId.VNDR) {
      const capLenAt = position + VIRTIO_PCI_CAP_OFFSETS.capLen;
      if (capLenAt < config.length) {
        capability.length = config[capLenAt]!;
        if (virtio) capability.virtio = readVirtioCapability(config, position, capability.length, issues);
      } else {
        issues.push({ code: 'truncated', offset: capLenAt, needed: capLenAt + 1, available: config.length, message: `vendor capability at ${hex(position)} is cut before its length byte` });
      }
    }
    found.push(capability);
    pointerAt = position + PCI_CAP_HEADER_OFFSETS.capNext;
    pointer = next;
  }
  return found;
}

// Sizes of the layouts the virtio capability union can select, by layout name. Importing these five
// metas instead of the codec registry keeps start-up light for `xvc decode` on large dumps.
const variantSizes = new Map(
  [virtioPciCapLayout, virtioPciCap64Layout, virtioPciCfgCapLayout, virtioPciNotifyCapLayout, virtioPciVndrDataLayout].map((meta) => [meta.name, meta.size]),
);
const variantByCfgType = new Map<number, string>();
for (const entry of virtioPciCapabilityUnion.cases) for (const value of entry.values) variantByCfgType.set(value, entry.layout);

/** Smallest cap_len of the structure a cfg_type selects: the size of the union variant's layout. */
function minimumCapLen(cfgType: number): number {
  return variantSizes.get(variantByCfgType.get(cfgType) ?? virtioPciCapabilityUnion.defaultLayout) ?? 0;
}

function readVirtioCapability(config: Uint8Array, position: number, capLen: number, issues: WalkIssue[]): WalkedVirtioCapability {
  const cfgType = config[position + VIRTIO_PCI_CAP_OFFSETS.cfgType] ?? 0;
  const minimum = minimumCapLen(cfgType);
  // Decode at least the structure's own size so short cap_len values still show their fields.
  const end = Math.min(config.length, position + Math.max(capLen, minimum));
  const { value: decoded, issues: layoutIssues } = decodeVirtioPciCapability(config, position, end);
  let complete = true;
  if (capLen < minimum) {
    complete = false;
    issues.push({ code: 'cap-len-too-small', offset: position, capLen, minimum, message: `virtio capability at ${hex(position)} has cap_len ${capLen}, less than the ${minimum} bytes of its structure` });
  }
  const limit = Math.min(PCI_CFG_SPACE_SIZE, config.length);
  if (position + Math.max(capLen, minimum) > limit) {
    complete = false;
    if (config.length < PCI_CFG_SPACE_SIZE && position + Math.max(capLen, minimum) > config.length) {
      issues.push({ code: 'truncated', offset: position, needed: position + Math.max(capLen, minimum), available: config.length, message: `virtio capability at ${hex(position)} is cut by the end of the data` });
    } else {
      issues.push({ code: 'cap-past-end', offset: position, capLen, limit, message: `virtio capability at ${hex(position)} with cap_len ${capLen} runs past ${hex(limit)}` });
    }
  }
  const reservedType = !definedCfgTypes.has(cfgType);
  if (reservedType) {
    issues.push({ code: 'reserved-cfg-type', offset: position + VIRTIO_PCI_CAP_OFFSETS.cfgType, cfgType, message: `virtio capability at ${hex(position)} has reserved cfg_type ${cfgType}: a driver ignores it` });
  }
  // One object literal with a fixed shape per variant: spreads here made the walker the slowest part
  // of decoding large dumps.
  switch (decoded.variant) {
    case 'virtio_pci_vndr_data':
      return { cfgType, complete, decoded, layoutIssues, bar: -1, id: -1, offset: 0, length: 0, vendorId: decoded.value.vendorId, vendorData: decoded.value.data, reserved: reservedType };
    case 'virtio_pci_cap64': {
      const cap = decoded.value.cap;
      checkBar(cap.bar, position, issues);
      return {
        cfgType,
        complete,
        decoded,
        layoutIssues,
        bar: cap.bar,
        id: cap.id,
        offset: (BigInt(decoded.value.offsetHi) << 32n) | BigInt(cap.offset),
        length: (BigInt(decoded.value.lengthHi) << 32n) | BigInt(cap.length),
        reserved: reservedType || cap.bar > VIRTIO_PCI_BAR_MAX,
      };
    }
    case 'virtio_pci_notify_cap': {
      const cap = decoded.value.cap;
      checkBar(cap.bar, position, issues);
      return {
        cfgType,
        complete,
        decoded,
        layoutIssues,
        bar: cap.bar,
        id: cap.id,
        offset: cap.offset,
        length: cap.length,
        notifyOffMultiplier: decoded.value.notifyOffMultiplier,
        reserved: reservedType || cap.bar > VIRTIO_PCI_BAR_MAX,
      };
    }
    case 'virtio_pci_cfg_cap':
    case 'virtio_pci_cap': {
      const cap = decoded.value;
      checkBar(cap.bar, position, issues);
      return { cfgType, complete, decoded, layoutIssues, bar: cap.bar, id: cap.id, offset: cap.offset, length: cap.length, reserved: reservedType || cap.bar > VIRTIO_PCI_BAR_MAX };
    }
  }
}

function checkBar(bar: number, position: number, issues: WalkIssue[]): void {
  if (bar > VIRTIO_PCI_BAR_MAX) {
    issues.push({ code: 'reserved-bar', offset: position + VIRTIO_PCI_CAP_OFFSETS.bar, bar, message: `virtio capability at ${hex(position)} names reserved BAR ${bar}: a driver ignores it` });
  }
}

function walkExtended(config: Uint8Array, issues: WalkIssue[]): WalkedExtendedCapability[] {
  const found: WalkedExtendedCapability[] = [];
  const visited = new Set<number>();
  let position = PCI_EXT_CAP_START;
  let pointerAt = -1;
  // Every position is a dword in [0x100, size); the visited set makes the walk end within that many steps.
  for (;;) {
    if (position + PCI_EXT_CAP_HEADER_SIZE > config.length) {
      issues.push({ code: 'truncated', offset: position, needed: position + PCI_EXT_CAP_HEADER_SIZE, available: config.length, message: `extended capability at ${hex(position)} lies past the end of the data` });
      break;
    }
    const raw = readLe(config, position, 4);
    // An all-zero first header means no extended capabilities.
    if (raw === 0 && found.length === 0 && position === PCI_EXT_CAP_START) break;
    if (raw === extendedAllOnes) {
      issues.push({ code: 'ext-all-ones', offset: position, message: `extended capability header at ${hex(position)} reads all ones (nothing answers); the list ends` });
      break;
    }
    visited.add(position);
    const header = decodePciExtCapHeader(config, position).value;
    found.push({ offset: position, id: header.capId, version: header.version, next: header.next });
    pointerAt = position;
    const next = header.next & PCI_EXT_CAP_NEXT_MASK;
    if (next !== header.next) {
      issues.push({ code: 'ext-pointer-unaligned', offset: pointerAt, pointer: header.next, message: `extended next pointer ${hex(header.next)} at ${hex(pointerAt)} is not dword aligned; following ${hex(next)}` });
    }
    if (next === 0) break;
    if (next < PCI_EXT_CAP_START) {
      issues.push({ code: 'ext-pointer-below-0x100', offset: pointerAt, pointer: next, message: `extended next pointer ${hex(next)} at ${hex(pointerAt)} is below ${hex(PCI_EXT_CAP_START)}; the list ends` });
      break;
    }
    if (visited.has(next)) {
      issues.push({ code: 'ext-loop', offset: pointerAt, pointer: next, message: `extended capability at ${hex(pointerAt)} points back to ${hex(next)}: the list loops` });
      break;
    }
    position = next;
  }
  return found;
}

/**
 * The capability a driver uses for each cfg_type: the first one in list order that is not reserved
 * and whose cap_len covers its structure (PCI-DRV-07, -08, -10). Keyed by cfg_type.
 */
export function preferredVirtioCapabilities(walk: CapabilityWalk): Map<number, WalkedCapability> {
  const preferred = new Map<number, WalkedCapability>();
  for (const capability of walk.capabilities) {
    const virtio = capability.virtio;
    if (virtio === undefined || virtio.reserved || !virtio.complete) continue;
    if (!preferred.has(virtio.cfgType)) preferred.set(virtio.cfgType, capability);
  }
  return preferred;
}

/** Layout issues reported while decoding the virtio capabilities of a walk, each with its capability offset. */
export function virtioLayoutIssues(walk: CapabilityWalk): { offset: number; issue: LayoutIssue }[] {
  return walk.capabilities.flatMap((capability) => (capability.virtio?.layoutIssues ?? []).map((issue) => ({ offset: capability.offset, issue })));
}
