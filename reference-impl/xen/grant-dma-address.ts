/**
 * Linux's grant DMA addresses: bit 63 marks the address as grant-encoded, the grant reference of the
 * first page sits above the Xen page shift and the byte offset in that page below it. Encoding and
 * decoding go through the generated xen_grant_dma_addr layout.
 */
import { readU64LE, writeUintLE } from '../../core/codec-runtime.ts';
import {
  decodeXenGrantDmaAddr,
  encodeXenGrantDmaAddr,
  XEN_GRANT_DMA_ADDR_OFF,
  XEN_GRANT_DMA_ADDR_SIZE,
  XEN_PAGE_SHIFT,
  XEN_PAGE_SIZE,
} from '../../generated/ts/xen/xen-grant-dma-addr.ts';

/** A decoded DMA address: a grant reference plus offset, or a plain (physical) address. */
export type DecodedDmaAddress = { kind: 'grant'; ref: bigint; offset: number } | { kind: 'physical'; address: bigint };

/** grant_to_dma(ref) + offset: the address a device is given for a buffer starting `offset` into grant `ref`. */
export function grantToDmaAddress(ref: number | bigint, offset = 0): bigint {
  const bytes = encodeXenGrantDmaAddr({ pageOffset: offset % XEN_PAGE_SIZE, grantRef: BigInt(ref), grantFlag: 1 });
  return readU64LE(bytes, 0);
}

/** dma_to_grant: splits a DMA address into grant reference and offset, or reports a physical address. */
export function decodeDmaAddress(address: bigint): DecodedDmaAddress {
  const masked = BigInt.asUintN(XEN_GRANT_DMA_ADDR_SIZE * 8, address);
  if ((masked & XEN_GRANT_DMA_ADDR_OFF) === 0n) return { kind: 'physical', address: masked };
  const bytes = new Uint8Array(XEN_GRANT_DMA_ADDR_SIZE);
  writeUintLE(bytes, 0, XEN_GRANT_DMA_ADDR_SIZE, masked);
  const decoded = decodeXenGrantDmaAddr(bytes).value;
  return { kind: 'grant', ref: decoded.grantRef, offset: decoded.pageOffset };
}

/** Guest-physical address of byte `offset` in guest frame `frame` (what a device gets without grants). */
export function physicalAddress(frame: number | bigint, offset = 0): bigint {
  return (BigInt(frame) << BigInt(XEN_PAGE_SHIFT)) + BigInt(offset);
}

/** XEN_PFN_UP(offset + length): how many Xen pages a buffer starting `offset` into a page touches. */
export function pagesSpanned(offset: number, length: number): number {
  return Math.ceil((offset + length) / XEN_PAGE_SIZE);
}

/** Renders a 64-bit address the way the map-result schema carries it. */
export function formatDmaAddress(address: bigint): string {
  return `0x${address.toString(16)}`;
}
