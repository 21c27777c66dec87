/**
 * Buffer mapping the way Linux's grant DMA ops do it (digest §5.3), shared by every frontend: for a
 * device decided to use grants, a streaming buffer (map_page) gets XEN_PFN_UP(offset + length)
 * consecutive grant references, one per frame, read-only exactly when the device only reads, and the
 * device is handed grant_to_dma(first) + offset; a coherent allocation gets XEN_PFN_UP(length)
 * read-write references for whole pages and grant_to_dma(first), no offset, as the coherent alloc op
 * does. All name the backend domid. A frame the v1 entry cannot hold refuses the request. A device
 * without grants gets guest-physical addresses; a refused or crashed device gets nothing.
 */
import type { BufferMapping, CreatedGrant, MapResult } from '../../generated/ts/schema/map-result.ts';
import type { MapBuffer, MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { GNTTAB_NR_RESERVED_ENTRIES } from '../../generated/ts/xen/grant-table.ts';
import { formatDmaAddress, grantToDmaAddress, pagesSpanned, physicalAddress } from '../xen/grant-dma-address.ts';
import { GrantTable } from '../xen/grant-table.ts';

/** Upper bound on grant entries one request may use, so a hostile request cannot exhaust memory. */
export const MAX_GRANTS_PER_REQUEST = 1 << 16;

/** True when the device only reads the buffer, so its grants are read-only. */
export function deviceOnlyReads(buffer: MapBuffer): boolean {
  return !buffer.coherent && buffer.direction === 'to-device';
}

/** Offset the device sees in the buffer's first page: none for a coherent allocation, which starts on a page. */
export function mappedOffset(buffer: MapBuffer): number {
  return buffer.coherent ? 0 : buffer.offset;
}

/** Maps `request` for a device whose decision is `decision`, in a fresh grant table of the guest. */
export function mapForDecision(scenario: Scenario, decision: Decision | undefined, request: MapRequest): MapResult {
  const refused = (reason: string): MapResult => ({ deviceId: request.deviceId, outcome: 'refused', mappings: [], reason });
  if (!decision) return refused(`no device '${request.deviceId}' in the scenario`);
  if (decision.outcome === 'refused' || decision.outcome === 'crash') return refused(`device is ${decision.outcome}`);
  if (decision.outcome === 'no-grants') {
    const mappings = request.buffers.map((buffer) => ({ dmaAddress: formatDmaAddress(physicalAddress(buffer.frame, buffer.offset)), grants: [] }));
    return { deviceId: request.deviceId, outcome: 'direct', mappings };
  }
  const domid = decision.backendDomid;
  if (domid === undefined) return refused('grants decided without a backend domid');
  const pages = request.buffers.reduce((sum, buffer) => sum + pagesSpanned(mappedOffset(buffer), buffer.length), 0);
  if (pages > MAX_GRANTS_PER_REQUEST) return refused(`request needs ${pages} grants, more than ${MAX_GRANTS_PER_REQUEST}`);
  const table = new GrantTable(scenario.guest.domid, { version: 1, entries: GNTTAB_NR_RESERVED_ENTRIES + pages });
  const mappings: BufferMapping[] = [];
  for (const buffer of request.buffers) {
    const count = pagesSpanned(mappedOffset(buffer), buffer.length);
    const allocation = table.allocateConsecutive(count);
    if (!allocation.ok) return refused(`cannot allocate ${count} consecutive grant references`);
    const readonly = deviceOnlyReads(buffer);
    const grants: CreatedGrant[] = [];
    for (const [index, ref] of allocation.value.entries()) {
      const frame = buffer.frame + index;
      const granted = table.grantForeignAccess(ref, domid, frame, readonly);
      if (!granted.ok) return refused(`grant of frame ${frame} failed: ${granted.error.code}`);
      grants.push({ ref, domid, frame, readonly });
    }
    mappings.push({ dmaAddress: formatDmaAddress(grantToDmaAddress(allocation.value[0]!, mappedOffset(buffer))), grants });
  }
  return { deviceId: request.deviceId, outcome: 'mapped', mappings };
}
