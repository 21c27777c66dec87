import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { GrantTable, type GrantTableVersion } from './grant-table.ts';
import { Hypervisor } from './hypervisor.ts';

const versions: GrantTableVersion[] = [1, 2];
const guest = 7;

function platform(version: GrantTableVersion, domids: number[]) {
  const hypervisor = new Hypervisor();
  const table = new GrantTable(guest, { version, entries: 64 });
  hypervisor.addDomain({ domid: guest, initial: false, type: 'pvh', arch: 'arm' }, table);
  for (const domid of domids) {
    hypervisor.addDomain({ domid, initial: domid === 0, type: 'pvh', arch: 'arm' }, new GrantTable(domid, { version }));
  }
  return { hypervisor, table };
}

const otherDomid = fc.integer({ min: 0, max: 20 }).filter((domid) => domid !== guest);

describe.each(versions)('grant table v%i', (version) => {
  it('stores entries in the ABI byte layout (domid, frame, flags)', () => {
    const table = new GrantTable(guest, { version, entries: 16 });
    expect(table.allocateConsecutive(1)).toEqual({ ok: true, value: [8] });
    expect(table.grantForeignAccess(8, 5, 0x1234, true).ok).toBe(true);
    if (version === 1) {
      // flags = permit_access (1) | readonly (4); domid 5; frame 0x1234 — all little-endian.
      expect([...table.bytes.subarray(64, 72)]).toEqual([0x05, 0x00, 0x05, 0x00, 0x34, 0x12, 0x00, 0x00]);
    } else {
      expect([...table.bytes.subarray(128, 144)]).toEqual([0x05, 0x00, 0x05, 0x00, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0]);
    }
  });

  it('never hands out a reserved entry and refuses to grant through one', () => {
    const table = new GrantTable(guest, { version, entries: 16 });
    const first = table.allocateConsecutive(1);
    expect(first).toEqual({ ok: true, value: [8] });
    expect(table.grantForeignAccess(1, 5, 1, false)).toEqual({ ok: false, error: { code: 'reserved-ref', ref: 1 } });
    expect(table.allocateConsecutive(8)).toEqual({ ok: false, error: { code: 'exhausted', requested: 8 } });
  });

  it('allocates consecutive, disjoint references above the reserved entries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 12 }), (counts) => {
        const table = new GrantTable(guest, { version, entries: 64 });
        const seen = new Set<number>();
        for (const count of counts) {
          const result = table.allocateConsecutive(count);
          if (!result.ok) continue;
          expect(result.value).toHaveLength(count);
          result.value.forEach((ref, index) => {
            expect(ref).toBeGreaterThanOrEqual(8);
            expect(ref).toBe(result.value[0]! + index);
            expect(seen.has(ref)).toBe(false);
            seen.add(ref);
          });
        }
      }),
      propertyParameters(),
    );
  });

  it('no access without a grant, and only the named domain maps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ grantee: otherDomid, frame: fc.integer({ min: 0, max: 0xffff }), readonly: fc.boolean() }), { maxLength: 8 }),
        otherDomid,
        fc.integer({ min: 0, max: 63 }),
        fc.boolean(),
        (grants, mapper, ref, readonly) => {
          const { hypervisor, table } = platform(version, [...new Set([mapper, ...grants.map((g) => g.grantee)])]);
          // Independent oracle: which domain each ref was granted to.
          const granted = new Map<number, { grantee: number; readonly: boolean }>();
          for (const grant of grants) {
            const allocation = table.allocateConsecutive(1);
            if (!allocation.ok) break;
            const at = allocation.value[0]!;
            expect(table.grantForeignAccess(at, grant.grantee, grant.frame, grant.readonly).ok).toBe(true);
            granted.set(at, grant);
          }
          const expected = granted.get(ref);
          const mayMap = expected !== undefined && expected.grantee === mapper && (readonly || !expected.readonly);
          const result = hypervisor.mapGrant({ mapper, granter: guest, ref, readonly });
          expect(result.ok).toBe(mayMap);
        },
      ),
      propertyParameters(),
    );
  });

  it('honours read-only grants', () => {
    fc.assert(
      fc.property(otherDomid, fc.integer({ min: 0, max: 0xffff }), (grantee, frame) => {
        const { hypervisor, table } = platform(version, [grantee]);
        table.allocateConsecutive(1);
        table.grantForeignAccess(8, grantee, frame, true);
        expect(hypervisor.mapGrant({ mapper: grantee, granter: guest, ref: 8, readonly: false })).toMatchObject({
          ok: false,
          error: { code: 'readonly-grant' },
        });
        const mapping = hypervisor.mapGrant({ mapper: grantee, granter: guest, ref: 8, readonly: true });
        expect(mapping.ok).toBe(true);
        if (!mapping.ok) return;
        expect(hypervisor.access(mapping.value.handle, 'read')).toEqual({ ok: true, value: BigInt(frame) });
        expect(hypervisor.access(mapping.value.handle, 'write').ok).toBe(false);
      }),
      propertyParameters(),
    );
  });

  it('revoke fails while mapped and, once done, really revokes', () => {
    fc.assert(
      fc.property(otherDomid, fc.boolean(), (grantee, readonly) => {
        const { hypervisor, table } = platform(version, [grantee]);
        table.allocateConsecutive(1);
        table.grantForeignAccess(8, grantee, 42, readonly);
        const mapping = hypervisor.mapGrant({ mapper: grantee, granter: guest, ref: 8, readonly });
        expect(mapping.ok).toBe(true);
        if (!mapping.ok) return;
        expect(table.endForeignAccess(8)).toEqual({ ok: false, error: { code: 'in-use', ref: 8 } });
        expect(hypervisor.unmapGrant(mapping.value.handle).ok).toBe(true);
        expect(table.endForeignAccess(8).ok).toBe(true);
        expect(hypervisor.mapGrant({ mapper: grantee, granter: guest, ref: 8, readonly: true })).toMatchObject({
          ok: false,
          error: { code: 'not-granted' },
        });
        expect(table.release(8).ok).toBe(true);
      }),
      propertyParameters(),
    );
  });

  it('makes a self grant detectable', () => {
    const { hypervisor, table } = platform(version, [3]);
    table.allocateConsecutive(2);
    table.grantForeignAccess(8, 3, 1, false);
    table.grantForeignAccess(9, guest, 2, false);
    expect(table.selfGrants()).toEqual([9]);
    expect(hypervisor.mapGrant({ mapper: guest, granter: guest, ref: 9, readonly: false })).toMatchObject({
      ok: false,
      error: { code: 'self-map' },
    });
  });
});

describe('grant table v1 frame width', () => {
  it('refuses a frame that does not fit the 32-bit v1 field but accepts it in v2', () => {
    const v1 = new GrantTable(guest, { version: 1, entries: 16 });
    const v2 = new GrantTable(guest, { version: 2, entries: 16 });
    v1.allocateConsecutive(1);
    v2.allocateConsecutive(1);
    expect(v1.grantForeignAccess(8, 3, 0x1_0000_0000n, false).ok).toBe(false);
    expect(v2.grantForeignAccess(8, 3, 0x1_0000_0000n, false).ok).toBe(true);
    expect(v2.entry(8)).toMatchObject({ ok: true, value: { frame: 0x1_0000_0000n, domid: 3 } });
  });
});
