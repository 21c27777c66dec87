/**
 * Base Address Registers: what a BAR's low bits say about it (I/O or memory, 32 or 64 bit,
 * prefetchable), which bits a sizing write can change, and how to read a size back from an all-ones
 * probe. Bit positions and masks come from the generated BAR layouts.
 */
import { decodePciBarIo, encodePciBarIo } from '../../generated/ts/pci/pci-bar-io.ts';
import {
  decodePciBarMem32,
  encodePciBarMem32,
  PCI_BASE_ADDRESS_IO_MASK,
  PCI_BASE_ADDRESS_MEM_MASK,
  PCI_STD_NUM_BARS,
  PciBarMemType,
} from '../../generated/ts/pci/pci-bar-mem32.ts';
import { encodePciBarMem64 } from '../../generated/ts/pci/pci-bar-mem64.ts';
import { readLe32 } from './le-bytes.ts';

/** One implemented BAR of a function. */
export interface BarDefinition {
  space: 'memory' | 'io';
  /** Decoded size in bytes: a power of two, at least the minimum of its space. */
  size: number;
  /** Memory BARs only: 64-bit, taking this slot and the next. */
  is64?: boolean;
  /** Memory BARs only. */
  prefetchable?: boolean;
}

/** Why a BAR definition cannot be implemented. */
export type BarDefinitionIssue =
  | { code: 'bar-index'; index: number; message: string }
  | { code: 'bar-size'; index: number; size: number; message: string }
  | { code: 'bar-64-at-last-slot'; index: number; message: string }
  | { code: 'bar-io-64'; index: number; message: string }
  | { code: 'bar-overlap'; index: number; message: string };

/** Low bits of an I/O BAR that are flags, not address. */
const ioFlagMask = ~PCI_BASE_ADDRESS_IO_MASK >>> 0;
/** Low bits of a memory BAR that are flags, not address. */
const memoryFlagMask = ~PCI_BASE_ADDRESS_MEM_MASK >>> 0;
/** Smallest I/O BAR: its first address bit. */
export const PCI_BAR_IO_MIN_SIZE = ioFlagMask + 1;
/** Smallest memory BAR: its first address bit. */
export const PCI_BAR_MEMORY_MIN_SIZE = memoryFlagMask + 1;

/** The read-only low bits that identify the BAR's kind (the register's value at address 0). */
export function barFlagBits(bar: BarDefinition): number {
  let bytes: Uint8Array;
  if (bar.space === 'io') {
    bytes = encodePciBarIo({ space: 1, reserved: 0, address: 0 });
  } else if (bar.is64 === true) {
    bytes = encodePciBarMem64({ space: 0, memType: PciBarMemType.MEM64, prefetchable: bar.prefetchable === true, address: 0n });
  } else {
    bytes = encodePciBarMem32({ space: 0, memType: PciBarMemType.MEM32, prefetchable: bar.prefetchable === true, address: 0 });
  }
  return readLe32(bytes, 0);
}

/**
 * Bits of the BAR register(s) a driver write stores: the address bits above the size. `high` is
 * the mask of the upper dword of a 64-bit BAR.
 */
export function barWritableMasks(bar: BarDefinition): { low: number; high?: number } {
  const addressMask = ~(BigInt(bar.size) - 1n);
  const flags = BigInt(bar.space === 'io' ? ioFlagMask : memoryFlagMask);
  const low = Number(addressMask & 0xffff_ffffn & ~flags);
  if (bar.space === 'memory' && bar.is64 === true) {
    return { low, high: Number((addressMask >> 32n) & 0xffff_ffffn) };
  }
  return { low };
}

/** Checks a function's BAR set: indexes, sizes, 64-bit pairs. Never throws. */
export function checkBarDefinitions(bars: ReadonlyMap<number, BarDefinition>): BarDefinitionIssue[] {
  const issues: BarDefinitionIssue[] = [];
  const taken = new Set<number>();
  for (const [index, bar] of bars) {
    if (!Number.isInteger(index) || index < 0 || index >= PCI_STD_NUM_BARS) {
      issues.push({ code: 'bar-index', index, message: `BAR index ${index} is not 0..${PCI_STD_NUM_BARS - 1}` });
      continue;
    }
    const minimum = bar.space === 'io' ? PCI_BAR_IO_MIN_SIZE : PCI_BAR_MEMORY_MIN_SIZE;
    // A 32-bit register cannot decode 4 GiB; 2^52 keeps sizes exact as JavaScript numbers.
    const maximum = bar.space === 'memory' && bar.is64 === true ? 2 ** 52 : 2 ** 31;
    if (!Number.isSafeInteger(bar.size) || bar.size < minimum || bar.size > maximum || (BigInt(bar.size) & (BigInt(bar.size) - 1n)) !== 0n) {
      issues.push({ code: 'bar-size', index, size: bar.size, message: `BAR ${index} size ${bar.size} is not a power of two in ${minimum}..${maximum}` });
    }
    if (bar.space === 'io' && bar.is64 === true) {
      issues.push({ code: 'bar-io-64', index, message: `BAR ${index}: an I/O BAR cannot be 64-bit` });
    }
    const slots = bar.space === 'memory' && bar.is64 === true ? [index, index + 1] : [index];
    if (slots.length === 2 && index + 1 >= PCI_STD_NUM_BARS) {
      issues.push({ code: 'bar-64-at-last-slot', index, message: `BAR ${index} is 64-bit but there is no next slot` });
    }
    for (const slot of slots) {
      if (taken.has(slot)) issues.push({ code: 'bar-overlap', index, message: `BAR slot ${slot} is used twice` });
      taken.add(slot);
    }
  }
  return issues;
}

/** What an all-ones sizing probe read back says about a BAR; `size` 0 means not implemented. */
export interface BarProbe {
  space: 'memory' | 'io' | 'unimplemented';
  is64: boolean;
  prefetchable: boolean;
  size: bigint;
}

/**
 * Interprets the value read back after writing all-ones to a BAR (and, for a 64-bit BAR, to the
 * next slot: `high`). Never throws.
 */
export function decodeBarProbe(low: number, high?: number): BarProbe {
  const raw = low >>> 0;
  if (raw === 0) return { space: 'unimplemented', is64: false, prefetchable: false, size: 0n };
  const bytes = new Uint8Array([raw & 0xff, (raw >>> 8) & 0xff, (raw >>> 16) & 0xff, raw >>> 24]);
  if (decodePciBarIo(bytes).value.space === 1) {
    return { space: 'io', is64: false, prefetchable: false, size: lowestSetBit(BigInt((raw & PCI_BASE_ADDRESS_IO_MASK) >>> 0)) };
  }
  const memory = decodePciBarMem32(bytes).value;
  const is64 = memory.memType === PciBarMemType.MEM64;
  let mask = BigInt((raw & PCI_BASE_ADDRESS_MEM_MASK) >>> 0);
  if (is64) mask |= BigInt((high ?? 0) >>> 0) << 32n;
  return { space: 'memory', is64, prefetchable: memory.prefetchable, size: lowestSetBit(mask) };
}

function lowestSetBit(mask: bigint): bigint {
  return mask === 0n ? 0n : mask & -mask;
}
