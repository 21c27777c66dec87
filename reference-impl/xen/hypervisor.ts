/**
 * The part of Xen that enforces grants: a domain maps another domain's grant only if the entry is a
 * live PERMIT_ACCESS naming exactly the mapping domain, and only read-only when the entry says so.
 * While mapped, Xen's READING/WRITING bits are set, so the granting guest cannot revoke the grant.
 */
import { GrantType } from '../../generated/ts/xen/grant-table.ts';
import type { Domain } from './domain.ts';
import type { GrantTable } from './grant-table.ts';

/** Why a map, unmap or access was refused. */
export type HypervisorError =
  | { code: 'no-such-domain'; domid: number }
  | { code: 'bad-ref'; domid: number; ref: number }
  | { code: 'not-granted'; granter: number; ref: number }
  | { code: 'wrong-domain'; granter: number; ref: number; grantee: number; mapper: number }
  | { code: 'readonly-grant'; granter: number; ref: number }
  | { code: 'self-map'; domid: number; ref: number }
  | { code: 'bad-handle'; handle: number }
  | { code: 'readonly-mapping'; handle: number };

/** Result of a hypervisor operation; never thrown. */
export type HypervisorResult<T> = { ok: true; value: T } | { ok: false; error: HypervisorError };

/** A live mapping of one granted frame. */
export interface GrantMapping {
  handle: number;
  mapper: number;
  granter: number;
  ref: number;
  frame: bigint;
  readonly: boolean;
}

/** A map request: `mapper` maps entry `ref` of `granter`'s table. */
export interface MapGrantRequest {
  mapper: number;
  granter: number;
  ref: number;
  readonly: boolean;
}

/** Xen's view of domains, their grant tables and the mappings other domains hold. */
export class Hypervisor {
  private readonly domains = new Map<number, { domain: Domain; table: GrantTable }>();
  private readonly mappings = new Map<number, GrantMapping>();
  private nextHandle = 1;

  /** Registers a domain with the grant table it shares with Xen. */
  addDomain(domain: Domain, table: GrantTable): void {
    this.domains.set(domain.domid, { domain, table });
  }

  /** GNTTABOP_map_grant_ref. Mapping one's own grant is refused so that a self grant shows up. */
  mapGrant(request: MapGrantRequest): HypervisorResult<GrantMapping> {
    const { mapper, granter, ref, readonly } = request;
    if (!this.domains.has(mapper)) return fail({ code: 'no-such-domain', domid: mapper });
    const owner = this.domains.get(granter);
    if (!owner) return fail({ code: 'no-such-domain', domid: granter });
    if (mapper === granter) return fail({ code: 'self-map', domid: mapper, ref });
    const entry = owner.table.entry(ref);
    if (!entry.ok) return fail({ code: 'bad-ref', domid: granter, ref });
    const view = entry.value;
    if (view.type !== GrantType.PERMIT_ACCESS) return fail({ code: 'not-granted', granter, ref });
    if (view.domid !== mapper) return fail({ code: 'wrong-domain', granter, ref, grantee: view.domid, mapper });
    if (view.readonly && !readonly) return fail({ code: 'readonly-grant', granter, ref });
    const mapping: GrantMapping = { handle: this.nextHandle++, mapper, granter, ref, frame: view.frame, readonly };
    this.mappings.set(mapping.handle, mapping);
    this.refreshStatus(granter, ref);
    return { ok: true, value: mapping };
  }

  /** GNTTABOP_unmap_grant_ref. */
  unmapGrant(handle: number): HypervisorResult<void> {
    const mapping = this.mappings.get(handle);
    if (!mapping) return fail({ code: 'bad-handle', handle });
    this.mappings.delete(handle);
    this.refreshStatus(mapping.granter, mapping.ref);
    return { ok: true, value: undefined };
  }

  /** Checks an access through a mapping: writes need a writable mapping. */
  access(handle: number, kind: 'read' | 'write'): HypervisorResult<bigint> {
    const mapping = this.mappings.get(handle);
    if (!mapping) return fail({ code: 'bad-handle', handle });
    if (kind === 'write' && mapping.readonly) return fail({ code: 'readonly-mapping', handle });
    return { ok: true, value: mapping.frame };
  }

  /** Mappings currently held on `granter`'s entry `ref`. */
  mappingsOf(granter: number, ref: number): GrantMapping[] {
    return [...this.mappings.values()].filter((mapping) => mapping.granter === granter && mapping.ref === ref);
  }

  private refreshStatus(granter: number, ref: number): void {
    const owner = this.domains.get(granter);
    if (!owner) return;
    const held = this.mappingsOf(granter, ref);
    owner.table.setMapped(ref, {
      reading: held.length > 0,
      writing: held.some((mapping) => !mapping.readonly),
    });
  }
}

function fail<T>(error: HypervisorError): HypervisorResult<T> {
  return { ok: false, error };
}
