/**
 * The edges the generated layouts and constants name, as values the arbitraries draw on purpose:
 * every named domid of xen.h and the ones next to it, the width of domid_t and of a device-tree cell,
 * the width of a v1 grant entry's frame field, the first and last byte of a Xen page, the ends of a
 * requester id. Nothing is typed here: widths come from the layout metadata, values from the
 * generated constants, so a changed layout moves its boundaries with it.
 */
import fc from 'fast-check';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { pciRequesterIdLayout } from '../../generated/ts/pci/pci-requester-id.ts';
import { grantEntryV1Layout } from '../../generated/ts/xen/grant-entry-v1.ts';
import { XEN_PAGE_SIZE } from '../../generated/ts/xen/xen-grant-dma-addr.ts';
import * as xenDomids from '../../generated/ts/xen/xen-domid.ts';

/** Width in bits of field `name` of `layout`; throws when the layout lacks it (a spec change to react to). */
export function fieldBits(layout: LayoutMeta, name: string): number {
  const field = layout.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`layout ${layout.name} has no field ${name}`);
  return field.bits;
}

/** `value` and its neighbours within `span`, never below 0 nor above `max`. */
export function around(value: number, span: number, max = Number.MAX_SAFE_INTEGER): number[] {
  const values: number[] = [];
  for (let delta = -span; delta <= span; delta++) if (value + delta >= 0 && value + delta <= max) values.push(value + delta);
  return values;
}

const unique = (values: number[]): number[] => [...new Set(values)].sort((left, right) => left - right);

/** Bits of domid_t, from the v1 grant entry's domid field. */
export const domidBits: number = fieldBits(grantEntryV1Layout, 'domid');
/** Bits of a v1 grant entry's frame field. */
export const v1FrameBits: number = fieldBits(grantEntryV1Layout, 'frame');
/** Bits of a requester id (bus, device, function). */
export const requesterIdBits: number = pciRequesterIdLayout.fields.reduce((bits, field) => bits + field.bits, 0);

/** Every domid constant xen.h names (DOMID_FIRST_RESERVED, DOMID_SELF ... DOMID_IDLE, DOMID_MASK). */
export const namedDomids: readonly number[] = unique(
  Object.entries(xenDomids)
    .filter(([name, value]) => name.startsWith('DOMID_') && typeof value === 'number')
    .map(([, value]) => value as number),
);

/** Edges of a 16-bit domid: the named ones and their neighbours, and both ends of domid_t. */
export const domidEdges: readonly number[] = unique([
  ...namedDomids.flatMap((domid) => around(domid, 1, 2 ** domidBits - 1)),
  ...around(2 ** (domidBits - 1), 1),
  ...around(2 ** domidBits - 1, 1, 2 ** domidBits - 1),
]);

/** Edges of a 32-bit device-tree cell: the domid edges, the first values past domid_t, the cell's top. */
export const cellEdges: readonly number[] = unique([
  ...domidEdges,
  ...around(2 ** domidBits, 1),
  ...namedDomids.map((domid) => 2 ** domidBits + domid),
  2 ** domidBits + 1,
  ...around(2 ** 32 - 1, 1, 2 ** 32 - 1),
]);

/** The last frames a v1 grant entry can name, so that buffers starting there run past the field. */
export const frameEdges: readonly number[] = unique([0, ...around(2 ** v1FrameBits - 1, 2, 2 ** v1FrameBits - 1)]);

/** First, second and last byte of a Xen page. */
export const pageOffsetEdges: readonly number[] = [0, 1, XEN_PAGE_SIZE - 1];

/** Lowest and highest requester ids and the ones next to them. */
export const requesterIdEdges: readonly number[] = unique([...around(0, 1), ...around(2 ** requesterIdBits - 1, 1, 2 ** requesterIdBits - 1)]);

/** `base`, except that one draw in `baseWeight + 1` is one of the edges. */
export function biased(base: fc.Arbitrary<number>, edges: readonly number[], baseWeight = 2): fc.Arbitrary<number> {
  return fc.oneof({ weight: baseWeight, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}
