/**
 * A guest's grant table, kept as the bytes Xen and the guest share: entries are written and read
 * only through the generated v1/v2 codecs. The guest side allocates references (never one of the
 * reserved entries), grants and revokes; the hypervisor side (hypervisor.ts) records mappings in the
 * entry flags (v1) or the separate status array (v2), which is what makes a revoke fail while mapped.
 */
import { decodeGrantEntryV1, encodeGrantEntryV1, GRANT_ENTRY_V1_SIZE, grantEntryV1Layout } from '../../generated/ts/xen/grant-entry-v1.ts';
import { grantEntryV2FullPageLayout } from '../../generated/ts/xen/grant-entry-v2-full-page.ts';
import { decodeGrantEntryV2, encodeGrantEntryV2 } from '../../generated/ts/xen/grant-entry-v2.ts';
import { GRANT_ENTRY_V2_SIZE, GNTTAB_NR_RESERVED_ENTRIES, GrantType, GtfFlags } from '../../generated/ts/xen/grant-table.ts';

/** Grant table ABI version. */
export type GrantTableVersion = 1 | 2;

/** One entry, version-independent, as decoded from the table bytes and status. */
export interface GrantEntryView {
  ref: number;
  /** GrantType value (INVALID, PERMIT_ACCESS, ...). */
  type: number;
  domid: number;
  frame: bigint;
  readonly: boolean;
  /** Xen has the frame mapped for reading / writing. */
  reading: boolean;
  writing: boolean;
}

/** Why a grant-table operation did not happen. */
export type GrantTableError =
  | { code: 'bad-ref'; ref: number }
  | { code: 'reserved-ref'; ref: number }
  | { code: 'not-allocated'; ref: number }
  | { code: 'in-use'; ref: number }
  | { code: 'exhausted'; requested: number }
  | { code: 'frame-too-wide'; ref: number; frame: bigint };

/** Result of a grant-table operation; never thrown. */
export type GrantTableResult<T> = { ok: true; value: T } | { ok: false; error: GrantTableError };

/** Options for a new table. */
export interface GrantTableOptions {
  version?: GrantTableVersion;
  /** Number of entries (the table's frames x entries per frame). */
  entries?: number;
}

const defaultEntries = 512;

/** One past the largest frame number an entry of each version can hold, from the layouts. */
const frameLimit: Record<GrantTableVersion, bigint> = {
  1: 1n << BigInt(frameFieldBits(grantEntryV1Layout.fields)),
  2: 1n << BigInt(frameFieldBits(grantEntryV2FullPageLayout.fields)),
};

function frameFieldBits(fields: readonly { name: string; bits: number }[]): number {
  return fields.find((field) => field.name === 'frame')?.bits ?? 0;
}

/** The grant table of one domain. */
export class GrantTable {
  /** Domain that owns the table (the granting guest). */
  readonly owner: number;
  /** ABI version of the entries in {@link GrantTable.bytes}. */
  readonly version: GrantTableVersion;
  /** Number of entries, the reserved ones included. */
  readonly entries: number;
  /** Shared entry bytes, in the layout of the table's version. */
  readonly bytes: Uint8Array;
  /** v2 only: grant_status_t per entry, holding Xen's READING/WRITING bits. */
  private readonly status: Uint16Array;
  private readonly allocated: Uint8Array;

  /** A table of `owner` with every entry invalid and only the reserved entries unavailable. */
  constructor(owner: number, options: GrantTableOptions = {}) {
    this.owner = owner;
    this.version = options.version ?? 1;
    this.entries = Math.max(GNTTAB_NR_RESERVED_ENTRIES, Math.trunc(options.entries ?? defaultEntries));
    this.bytes = new Uint8Array(this.entries * this.entrySize);
    this.status = new Uint16Array(this.version === 2 ? this.entries : 0);
    this.allocated = new Uint8Array(this.entries);
  }

  /** Size of one entry in bytes for this version. */
  get entrySize(): number {
    return this.version === 1 ? GRANT_ENTRY_V1_SIZE : GRANT_ENTRY_V2_SIZE;
  }

  /**
   * Allocates `count` consecutive references (Linux gnttab_alloc_grant_reference_seq), first fit,
   * never touching the reserved entries at the start of the table.
   */
  allocateConsecutive(count: number): GrantTableResult<number[]> {
    if (!Number.isInteger(count) || count < 1) return { ok: false, error: { code: 'exhausted', requested: count } };
    let run = 0;
    for (let ref = GNTTAB_NR_RESERVED_ENTRIES; ref < this.entries; ref++) {
      run = this.allocated[ref] ? 0 : run + 1;
      if (run === count) {
        const first = ref - count + 1;
        const refs = Array.from({ length: count }, (_, index) => first + index);
        for (const taken of refs) this.allocated[taken] = 1;
        return { ok: true, value: refs };
      }
    }
    return { ok: false, error: { code: 'exhausted', requested: count } };
  }

  /** Returns a revoked reference to the free pool. */
  release(ref: number): GrantTableResult<void> {
    const problem = this.checkAllocated(ref);
    if (problem) return { ok: false, error: problem };
    if (this.view(ref).type !== GrantType.INVALID) return { ok: false, error: { code: 'in-use', ref } };
    this.allocated[ref] = 0;
    return { ok: true, value: undefined };
  }

  /**
   * gnttab_grant_foreign_access_ref: lets `domid` access `frame`, read-only when asked. The grantee
   * and frame are written before the type, which is what makes the entry live.
   */
  grantForeignAccess(ref: number, domid: number, frame: number | bigint, readonly: boolean): GrantTableResult<void> {
    const problem = this.checkAllocated(ref);
    if (problem) return { ok: false, error: problem };
    const wide = BigInt(frame);
    if (wide < 0n || wide >= frameLimit[this.version]) return { ok: false, error: { code: 'frame-too-wide', ref, frame: wide } };
    const current = this.view(ref);
    if (current.reading || current.writing) return { ok: false, error: { code: 'in-use', ref } };
    this.writeEntry(ref, GrantType.INVALID, domid, BigInt(frame), readonly);
    this.writeEntry(ref, GrantType.PERMIT_ACCESS, domid, BigInt(frame), readonly);
    return { ok: true, value: undefined };
  }

  /**
   * gnttab_end_foreign_access_ref: revokes the grant unless Xen still has it mapped. Afterwards the
   * entry is INVALID, so no domain can map it any more.
   */
  endForeignAccess(ref: number): GrantTableResult<void> {
    const problem = this.checkAllocated(ref);
    if (problem) return { ok: false, error: problem };
    const current = this.view(ref);
    if (current.reading || current.writing) return { ok: false, error: { code: 'in-use', ref } };
    this.writeEntry(ref, GrantType.INVALID, current.domid, current.frame, current.readonly);
    return { ok: true, value: undefined };
  }

  /** Decodes the entry `ref` (any ref inside the table, reserved ones included). */
  entry(ref: number): GrantTableResult<GrantEntryView> {
    if (!this.inTable(ref)) return { ok: false, error: { code: 'bad-ref', ref } };
    return { ok: true, value: this.view(ref) };
  }

  /** References of live entries that name the table's own domain: a guest granting to itself. */
  selfGrants(): number[] {
    const found: number[] = [];
    for (let ref = 0; ref < this.entries; ref++) {
      const view = this.view(ref);
      if (view.type !== GrantType.INVALID && view.domid === this.owner) found.push(ref);
    }
    return found;
  }

  /** Hypervisor side: sets or clears Xen's mapped-for-reading/writing bits of `ref`. */
  setMapped(ref: number, mapped: { reading: boolean; writing: boolean }): void {
    if (!this.inTable(ref)) return;
    if (this.version === 2) {
      this.status[ref] = (mapped.reading ? GtfFlags.READING : 0) | (mapped.writing ? GtfFlags.WRITING : 0);
      return;
    }
    const offset = ref * GRANT_ENTRY_V1_SIZE;
    const decoded = decodeGrantEntryV1(this.bytes, offset).value;
    encodeGrantEntryV1({ ...decoded, reading: mapped.reading, writing: mapped.writing }, this.bytes, offset);
  }

  private inTable(ref: number): boolean {
    return Number.isInteger(ref) && ref >= 0 && ref < this.entries;
  }

  private checkAllocated(ref: number): GrantTableError | undefined {
    if (!this.inTable(ref)) return { code: 'bad-ref', ref };
    if (ref < GNTTAB_NR_RESERVED_ENTRIES) return { code: 'reserved-ref', ref };
    if (!this.allocated[ref]) return { code: 'not-allocated', ref };
    return undefined;
  }

  private view(ref: number): GrantEntryView {
    const offset = ref * this.entrySize;
    if (this.version === 1) {
      const entry = decodeGrantEntryV1(this.bytes, offset).value;
      return {
        ref,
        type: entry.type,
        domid: entry.domid,
        frame: BigInt(entry.frame),
        readonly: entry.readonly,
        reading: entry.reading,
        writing: entry.writing,
      };
    }
    const decoded = decodeGrantEntryV2(this.bytes, offset).value;
    const hdr = decoded.value.hdr;
    const frame = decoded.variant === 'grant_entry_v2_transitive' ? 0n : decoded.value.frame;
    const status = this.status[ref] ?? 0;
    return {
      ref,
      type: hdr.type,
      domid: hdr.domid,
      frame,
      readonly: hdr.readonly,
      reading: (status & GtfFlags.READING) !== 0,
      writing: (status & GtfFlags.WRITING) !== 0,
    };
  }

  private writeEntry(ref: number, type: number, domid: number, frame: bigint, readonly: boolean): void {
    const offset = ref * this.entrySize;
    const flags = { type, readonly, pwt: false, pcd: false, pat: false, subPage: false, flagsReserved: 0, domid };
    if (this.version === 1) {
      const current = decodeGrantEntryV1(this.bytes, offset).value;
      encodeGrantEntryV1({ ...flags, reading: current.reading, writing: current.writing, frame: Number(frame) }, this.bytes, offset);
      return;
    }
    encodeGrantEntryV2(
      { variant: 'grant_entry_v2_full_page', value: { hdr: { ...flags, reading: false, writing: false }, pad0: 0, frame } },
      this.bytes,
      offset,
    );
  }
}
