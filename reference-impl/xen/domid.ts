/**
 * Domain-id rules of the Xen public interface (xen.h): a domid_t is 16 bits wide and every value from
 * DOMID_FIRST_RESERVED up names a pseudo-domain, never a domain a guest may grant to.
 */
import { DOMID_FIRST_RESERVED } from '../../generated/ts/xen/xen-domid.ts';
import { grantEntryV1Layout } from '../../generated/ts/xen/grant-entry-v1.ts';

/** Width of domid_t in bits, taken from the `domid` field of a v1 grant entry rather than typed again. */
export const DOMID_T_BITS: number = (() => {
  const field = grantEntryV1Layout.fields.find((candidate) => candidate.name === 'domid');
  if (!field) throw new Error('grant_entry_v1 layout has no domid field');
  return field.bits;
})();

/** Largest value a domid_t can hold. */
export const DOMID_T_MAX: number = 2 ** DOMID_T_BITS - 1;

/** True when `value` is a domid an ordinary domain can have: an integer in [0, DOMID_FIRST_RESERVED). */
export function isValidDomid(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < DOMID_FIRST_RESERVED;
}

/** True when `value` fits a domid_t but names a pseudo-domain (DOMID_SELF, DOMID_IO, ...). */
export function isReservedDomid(value: number): boolean {
  return Number.isInteger(value) && value >= DOMID_FIRST_RESERVED && value <= DOMID_T_MAX;
}

/**
 * What C does when a 32-bit cell is assigned to a domid_t: keeps the low 16 bits. Linux's grant DMA
 * code does exactly this with the device-tree cell, without checking the result.
 */
export function truncateToDomidT(cell: number): number {
  return Number(BigInt.asUintN(DOMID_T_BITS, BigInt(Math.trunc(cell))));
}
