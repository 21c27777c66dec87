/**
 * The benchmark's hand-written baseline: what a careful engineer would write without a generator: a
 * DataView over the config space, one function per structure, the same objects the generated decoders
 * return and the same constraint checks (their failures collected as messages).
 *
 * Offsets here are typed by hand on purpose; this file is the thing the generated code is measured
 * against, so it must not use the generated code.
 */
import type { ConfigSpaceDecode, DecodedCapability } from './config-space-decode.ts';

const CAP_LIST = 0x10;
const VENDOR_CAP = 0x09;
const MSIX_CAP = 0x11;
const MAX_CAPS = 48;

function notPowerOfTwoOrZero(value: number): boolean {
  return value !== 0 && (value & (value - 1)) !== 0;
}

function decodeGenericVirtioCap(view: DataView, bytes: Uint8Array, o: number, issues: string[]) {
  const value = {
    capVndr: view.getUint8(o),
    capNext: view.getUint8(o + 1),
    capLen: view.getUint8(o + 2),
    cfgType: view.getUint8(o + 3),
    bar: view.getUint8(o + 4),
    id: view.getUint8(o + 5),
    padding: bytes.slice(o + 6, o + 8),
    offset: view.getUint32(o + 8, true),
    length: view.getUint32(o + 12, true),
  };
  if (value.capVndr !== VENDOR_CAP) issues.push(`virtio_pci_cap.cap_vndr at ${o}`);
  if (value.capLen < 16) issues.push(`virtio_pci_cap.cap_len at ${o + 2}`);
  return value;
}

function decodeVirtioCap(view: DataView, bytes: Uint8Array, o: number, end: number, issues: string[]): DecodedCapability {
  if (o + 4 > end) return truncated(bytes, o, end, issues);
  const cfgType = view.getUint8(o + 3);
  switch (cfgType) {
    case 2: {
      if (o + 20 > end) return truncated(bytes, o, end, issues);
      const cap = decodeGenericVirtioCap(view, bytes, o, issues);
      const notifyOffMultiplier = view.getUint32(o + 16, true);
      if (notPowerOfTwoOrZero(notifyOffMultiplier)) issues.push(`virtio_pci_notify_cap.notify_off_multiplier at ${o + 16}`);
      return { offset: o, kind: 'virtio', value: { variant: 'virtio_pci_notify_cap', value: { cap, notifyOffMultiplier } } };
    }
    case 5: {
      if (o + 20 > end) return truncated(bytes, o, end, issues);
      const value = {
        capVndr: view.getUint8(o),
        capNext: view.getUint8(o + 1),
        capLen: view.getUint8(o + 2),
        cfgType,
        bar: view.getUint8(o + 4),
        id: view.getUint8(o + 5),
        padding: bytes.slice(o + 6, o + 8),
        offset: view.getUint32(o + 8, true),
        length: view.getUint32(o + 12, true),
        pciCfgData: bytes.slice(o + 16, o + 20),
      };
      if (value.capVndr !== VENDOR_CAP) issues.push(`virtio_pci_cfg_cap.cap_vndr at ${o}`);
      if (value.capLen < 20) issues.push(`virtio_pci_cfg_cap.cap_len at ${o + 2}`);
      return { offset: o, kind: 'virtio', value: { variant: 'virtio_pci_cfg_cap', value } };
    }
    case 8: {
      if (o + 24 > end) return truncated(bytes, o, end, issues);
      const cap = decodeGenericVirtioCap(view, bytes, o, issues);
      const value = { cap, offsetHi: view.getUint32(o + 16, true), lengthHi: view.getUint32(o + 20, true) };
      return { offset: o, kind: 'virtio', value: { variant: 'virtio_pci_cap64', value } };
    }
    case 9: {
      if (o + 6 > end) return truncated(bytes, o, end, issues);
      const value = {
        capVndr: view.getUint8(o),
        capNext: view.getUint8(o + 1),
        capLen: view.getUint8(o + 2),
        cfgType,
        vendorId: view.getUint16(o + 4, true),
        data: bytes.slice(o + 6, end),
      };
      if (value.capVndr !== VENDOR_CAP) issues.push(`virtio_pci_vndr_data.cap_vndr at ${o}`);
      if (value.capLen % 4 !== 0) issues.push(`virtio_pci_vndr_data.cap_len at ${o + 2}`);
      if (value.vendorId === 0x1af4) issues.push(`virtio_pci_vndr_data.vendor_id at ${o + 4}`);
      return { offset: o, kind: 'virtio', value: { variant: 'virtio_pci_vndr_data', value } };
    }
    default: {
      if (o + 16 > end) return truncated(bytes, o, end, issues);
      return { offset: o, kind: 'virtio', value: { variant: 'virtio_pci_cap', value: decodeGenericVirtioCap(view, bytes, o, issues) } };
    }
  }
}

function truncated(bytes: Uint8Array, o: number, end: number, issues: string[]): DecodedCapability {
  issues.push(`capability at ${o} truncated at ${end}`);
  return { offset: o, kind: 'other', value: { capId: bytes[o] ?? 0, capNext: bytes[o + 1] ?? 0 } };
}

function decodeMsix(view: DataView, o: number, issues: string[]): DecodedCapability {
  const control = view.getUint16(o + 2, true);
  const table = view.getUint32(o + 4, true);
  const pba = view.getUint32(o + 8, true);
  const value = {
    capId: view.getUint8(o),
    capNext: view.getUint8(o + 1),
    tableSize: control & 0x7ff,
    controlReserved: (control >>> 11) & 0x7,
    functionMask: (control & 0x4000) !== 0,
    enable: (control & 0x8000) !== 0,
    tableBir: table & 0x7,
    tableOffset: table >>> 3,
    pbaBir: pba & 0x7,
    pbaOffset: pba >>> 3,
  };
  if (value.capId !== MSIX_CAP) issues.push(`pci_msix_cap.cap_id at ${o}`);
  return { offset: o, kind: 'msix', value };
}

/** Decodes a 256-byte type-0 config space and its capability list by hand. */
export function decodeConfigSpaceByHand(bytes: Uint8Array): ConfigSpaceDecode {
  const issues: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limit = Math.min(bytes.length, 256);
  if (limit < 64) return { header: undefined, caps: [], issues: 1 };
  const headerType = view.getUint8(14);
  const rom = view.getUint32(48, true);
  const header = {
    vendorId: view.getUint16(0, true),
    deviceId: view.getUint16(2, true),
    command: view.getUint16(4, true),
    status: view.getUint16(6, true),
    revisionId: view.getUint8(8),
    progIf: view.getUint8(9),
    subClass: view.getUint8(10),
    baseClass: view.getUint8(11),
    cacheLineSize: view.getUint8(12),
    latencyTimer: view.getUint8(13),
    headerLayout: headerType & 0x7f,
    multiFunction: (headerType & 0x80) !== 0,
    bist: view.getUint8(15),
    bar0: view.getUint32(16, true),
    bar1: view.getUint32(20, true),
    bar2: view.getUint32(24, true),
    bar3: view.getUint32(28, true),
    bar4: view.getUint32(32, true),
    bar5: view.getUint32(36, true),
    cardbusCis: view.getUint32(40, true),
    subsystemVendorId: view.getUint16(44, true),
    subsystemId: view.getUint16(46, true),
    romEnable: (rom & 1) !== 0,
    romReserved: (rom >>> 1) & 0x3ff,
    romAddress: rom >>> 11,
    capabilitiesPointer: view.getUint8(52),
    reserved: bytes.slice(53, 60),
    interruptLine: view.getUint8(60),
    interruptPin: view.getUint8(61),
    minGnt: view.getUint8(62),
    maxLat: view.getUint8(63),
  };
  if (header.headerLayout !== 0) issues.push('pci_type0_header.header_layout');
  for (let index = 53; index < 60; index++) {
    if (bytes[index] !== 0) {
      issues.push('pci_type0_header.reserved');
      break;
    }
  }
  const caps: DecodedCapability[] = [];
  if ((header.status & CAP_LIST) !== 0) {
    let pointer = header.capabilitiesPointer & 0xfc;
    for (let count = 0; pointer >= 0x40 && pointer + 2 <= limit && count < MAX_CAPS; count++) {
      const id = bytes[pointer]!;
      if (id === VENDOR_CAP) {
        // The capability ends where cap_len says (bounded by config space): the rule all three decoders share.
        const end = Math.min(limit, pointer + (bytes[pointer + 2] ?? 0));
        caps.push(decodeVirtioCap(view, bytes, pointer, end, issues));
      } else if (id === MSIX_CAP && pointer + 12 <= limit) {
        caps.push(decodeMsix(view, pointer, issues));
      } else {
        caps.push({ offset: pointer, kind: 'other', value: { capId: id, capNext: bytes[pointer + 1]! } });
      }
      pointer = bytes[pointer + 1]! & 0xfc;
    }
  }
  return { header, caps, issues: issues.length };
}
