/**
 * Numeric encodings that name a PCI function or one of its registers: the requester ID (BDF) used by
 * `iommu-map`, the offset in an ECAM window, and the 0xCF8 configuration address. Each packs and
 * unpacks through the generated register layout, so no shift or mask is written here.
 */
import { XvcError } from '../../core/xvc-error.ts';
import { decodePciCf8Address, encodePciCf8Address, PCI_CF8_ADDRESS_SIZE } from '../../generated/ts/pci/pci-cf8-address.ts';
import { decodePciEcamOffset, encodePciEcamOffset, PCI_ECAM_OFFSET_SIZE } from '../../generated/ts/pci/pci-ecam-offset.ts';
import { decodePciRequesterId, encodePciRequesterId, PCI_REQUESTER_ID_SIZE } from '../../generated/ts/pci/pci-requester-id.ts';
import { pciCf8AddressLayout } from '../../generated/ts/pci/pci-cf8-address.ts';
import { pciEcamOffsetLayout } from '../../generated/ts/pci/pci-ecam-offset.ts';
import { pciRequesterIdLayout } from '../../generated/ts/pci/pci-requester-id.ts';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { readLe, writeLe, type AccessWidth } from './le-bytes.ts';

/** Bus, device and function of one PCI function. */
export interface Bdf {
  bus: number;
  device: number;
  function: number;
}

/** A value that does not fit the field it is encoded into. */
export class AddressCodecError extends XvcError<'addressFieldOutOfRange'> {
  constructor(
    readonly layout: string,
    readonly field: string,
    readonly value: number,
    readonly maximum: number,
  ) {
    super('addressFieldOutOfRange', `${layout}.${field} = ${value} is outside 0..${maximum}`, { layout, field, value, maximum });
  }
}

function fieldMaximum(layout: LayoutMeta, specName: string): number {
  const field = layout.fields.find((candidate) => candidate.specName === specName);
  return field === undefined ? 0 : 2 ** field.bits - 1;
}

function requireFits(layout: LayoutMeta, specName: string, value: number): void {
  const maximum = fieldMaximum(layout, specName);
  if (!Number.isInteger(value) || value < 0 || value > maximum) throw new AddressCodecError(layout.name, specName, value, maximum);
}

function requireBdf(layout: LayoutMeta, bdf: Bdf): void {
  requireFits(layout, 'bus', bdf.bus);
  requireFits(layout, 'device', bdf.device);
  requireFits(layout, 'function', bdf.function);
}

function toBytes(value: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  writeLe(bytes, 0, size as AccessWidth, value);
  return bytes;
}

/** Largest value each part of a BDF can take (from the requester-ID layout). */
export const bdfLimits: Readonly<Bdf> = {
  bus: fieldMaximum(pciRequesterIdLayout, 'bus'),
  device: fieldMaximum(pciRequesterIdLayout, 'device'),
  function: fieldMaximum(pciRequesterIdLayout, 'function'),
};

/** Encodes a requester ID (bus[15:8] device[7:3] function[2:0]). Throws AddressCodecError on out-of-range parts. */
export function encodeRequesterId(bdf: Bdf): number {
  requireBdf(pciRequesterIdLayout, bdf);
  return readLe(encodePciRequesterId(bdf), 0, PCI_REQUESTER_ID_SIZE as AccessWidth);
}

/** Decodes a 16-bit requester ID; higher bits are ignored. Never throws. */
export function decodeRequesterId(rid: number): Bdf {
  const value = decodePciRequesterId(toBytes(rid, PCI_REQUESTER_ID_SIZE)).value;
  return { bus: value.bus, device: value.device, function: value.function };
}

/** A register of one function, as an ECAM offset or a 0xCF8 address names it. */
export interface ConfigAddress extends Bdf {
  register: number;
}

/** Offset of a function's register inside a 256-bus ECAM window. Throws AddressCodecError on out-of-range parts. */
export function encodeEcamOffset(address: ConfigAddress): number {
  requireBdf(pciEcamOffsetLayout, address);
  requireFits(pciEcamOffsetLayout, 'register', address.register);
  const bytes = encodePciEcamOffset({ register: address.register, function: address.function, device: address.device, bus: address.bus, beyondWindow: 0 });
  return readLe(bytes, 0, PCI_ECAM_OFFSET_SIZE as AccessWidth);
}

/** Splits an ECAM offset into function and register; `outsideWindow` is set when bits above 256 buses are used. Never throws. */
export function decodeEcamOffset(offset: number): ConfigAddress & { outsideWindow: boolean } {
  const value = decodePciEcamOffset(toBytes(offset >>> 0, PCI_ECAM_OFFSET_SIZE)).value;
  return { bus: value.bus, device: value.device, function: value.function, register: value.register, outsideWindow: value.beyondWindow !== 0 };
}

/**
 * The 0xCF8 address selecting the dword that holds `register` (the byte within it is picked by the
 * data port, 0xCFC + register % 4). Registers above 255 use the AMD extension bits. Throws
 * AddressCodecError on out-of-range parts.
 */
export function encodeCf8Address(address: ConfigAddress, enable = true): number {
  requireBdf(pciCf8AddressLayout, address);
  const dwordBits = fieldMaximum(pciCf8AddressLayout, 'register_dword') + 1;
  const highBits = fieldMaximum(pciCf8AddressLayout, 'register_high') + 1;
  const byteInDword = fieldMaximum(pciCf8AddressLayout, 'zero') + 1;
  const dword = Math.floor(address.register / byteInDword);
  if (!Number.isInteger(address.register) || address.register < 0 || dword >= dwordBits * highBits) {
    throw new AddressCodecError(pciCf8AddressLayout.name, 'register', address.register, dwordBits * highBits * byteInDword - 1);
  }
  const bytes = encodePciCf8Address({
    zero: 0,
    registerDword: dword % dwordBits,
    function: address.function,
    device: address.device,
    bus: address.bus,
    registerHigh: Math.floor(dword / dwordBits),
    reserved: 0,
    enable,
  });
  return readLe(bytes, 0, PCI_CF8_ADDRESS_SIZE as AccessWidth);
}

/** Decodes a 0xCF8 value: the function, the dword-aligned register, the enable bit. Never throws. */
export function decodeCf8Address(value: number): ConfigAddress & { enabled: boolean; reservedBits: boolean } {
  const decoded = decodePciCf8Address(toBytes(value >>> 0, PCI_CF8_ADDRESS_SIZE));
  const v = decoded.value;
  const dwordBits = fieldMaximum(pciCf8AddressLayout, 'register_dword') + 1;
  const byteInDword = fieldMaximum(pciCf8AddressLayout, 'zero') + 1;
  return {
    bus: v.bus,
    device: v.device,
    function: v.function,
    register: (v.registerHigh * dwordBits + v.registerDword) * byteInDword,
    enabled: v.enable,
    reservedBits: v.zero !== 0 || v.reserved !== 0,
  };
}
