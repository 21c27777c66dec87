import {
  PCI_BASE_ADDRESS_0,
  PCI_BASE_ADDRESS_IO_MASK,
  PCI_BASE_ADDRESS_MEM_MASK,
  PCI_BASE_ADDRESS_MEM_PREFETCH,
  PCI_BASE_ADDRESS_MEM_TYPE_64,
  PCI_BASE_ADDRESS_SPACE_IO,
  PCI_STD_NUM_BARS,
} from '../../generated/ts/pci/pci-bar-mem32.ts';
import type { QemuConfigAccess } from './config-access.ts';

/** One BAR slot as found by the all-ones probe and placed by xvc. */
export interface ProgrammedBar {
  index: number;
  kind: 'none' | 'io' | 'mem32' | 'mem64' | 'mem64-upper';
  size: number;
  prefetchable: boolean;
  /** Address xvc programmed (0 for `none` and the upper half of a 64-bit BAR). */
  address: number;
}

/** Address space xvc allocates from; `next` moves as BARs are placed. */
export interface AddressWindow {
  next: number;
  limit: number;
}

const ALL_ONES = 0xffff_ffff;
const BAR_BYTES = 4;
/** Bits 2:1 of a memory BAR. */
const MEM_TYPE_BITS = 0x6;

/**
 * Sizes every BAR with the all-ones probe (decoding must be off), then places each at a naturally aligned
 * address in `memory` or `io` and writes it. 64-bit BARs get an address below 4 GiB (upper half 0), which a
 * 64-bit BAR may hold. A BAR that does not fit is left unassigned (address 0) rather than overlapping.
 */
export async function sizeAndProgramBars(config: QemuConfigAccess, memory: AddressWindow, io: AddressWindow): Promise<ProgrammedBar[]> {
  const bars: ProgrammedBar[] = [];
  for (let index = 0; index < PCI_STD_NUM_BARS; index++) {
    const offset = PCI_BASE_ADDRESS_0 + BAR_BYTES * index;
    const original = await config.read(offset, 4);
    await config.write(offset, 4, ALL_ONES);
    const readback = await config.read(offset, 4);
    if (readback === 0) {
      await config.write(offset, 4, original);
      bars.push({ index, kind: 'none', size: 0, prefetchable: false, address: 0 });
      continue;
    }
    if (readback & PCI_BASE_ADDRESS_SPACE_IO) {
      // I/O BARs decode 16 address bits on x86; the upper half may read back as 0.
      const mask = (readback & PCI_BASE_ADDRESS_IO_MASK & 0xffff) >>> 0;
      const size = mask === 0 ? 0 : (~mask & 0xffff) + 1;
      const address = place(io, size);
      await config.write(offset, 4, address);
      bars.push({ index, kind: 'io', size, prefetchable: false, address });
      continue;
    }
    const prefetchable = (readback & PCI_BASE_ADDRESS_MEM_PREFETCH) !== 0;
    const is64 = (readback & MEM_TYPE_BITS) === PCI_BASE_ADDRESS_MEM_TYPE_64 && index + 1 < PCI_STD_NUM_BARS;
    let size = ((~(readback & PCI_BASE_ADDRESS_MEM_MASK) >>> 0) + 1) >>> 0;
    if (is64) {
      const upper = PCI_BASE_ADDRESS_0 + BAR_BYTES * (index + 1);
      await config.write(upper, 4, ALL_ONES);
      const high = await config.read(upper, 4);
      // A BAR of 4 GiB or more: its low half reads back 0 in the address bits.
      if ((readback & PCI_BASE_ADDRESS_MEM_MASK) === 0) size = (~high >>> 0) + 1 > 0 ? 2 ** 32 * ((~high >>> 0) + 1) : 0;
      const address = place(memory, size);
      await config.write(offset, 4, address);
      await config.write(upper, 4, 0);
      bars.push({ index, kind: 'mem64', size, prefetchable, address });
      bars.push({ index: index + 1, kind: 'mem64-upper', size: 0, prefetchable, address: 0 });
      index++;
      continue;
    }
    const address = place(memory, size);
    await config.write(offset, 4, address);
    bars.push({ index, kind: 'mem32', size, prefetchable, address });
  }
  return bars;
}

function place(window: AddressWindow, size: number): number {
  if (size <= 0) return 0;
  const aligned = Math.ceil(window.next / size) * size;
  if (aligned + size - 1 > window.limit) return 0;
  window.next = aligned + size;
  return aligned;
}
