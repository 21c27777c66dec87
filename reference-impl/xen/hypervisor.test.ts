import { describe, expect, it } from 'vitest';
import { GrantTable } from './grant-table.ts';
import { Hypervisor } from './hypervisor.ts';

/** A guest (domid 5) that granted one frame to the backend (domid 3), and Xen knowing both. */
function setup(readonly = false) {
  const hypervisor = new Hypervisor();
  const guestTable = new GrantTable(5);
  hypervisor.addDomain({ domid: 5, initial: false, type: 'pvh', arch: 'arm' }, guestTable);
  hypervisor.addDomain({ domid: 3, initial: false, type: 'pvh', arch: 'arm' }, new GrantTable(3));
  const allocation = guestTable.allocateConsecutive(1);
  if (!allocation.ok) throw new Error('the guest table must have room');
  const ref = allocation.value[0]!;
  expect(guestTable.grantForeignAccess(ref, 3, 0x1234n, readonly).ok).toBe(true);
  return { hypervisor, guestTable, ref };
}

describe('the hypervisor', () => {
  it('maps a live grant for the domain it names, and marks it in use until unmapped', () => {
    const { hypervisor, guestTable, ref } = setup();
    const mapped = hypervisor.mapGrant({ mapper: 3, granter: 5, ref, readonly: false });
    expect(mapped).toMatchObject({ ok: true, value: { mapper: 3, granter: 5, ref, frame: 0x1234n, readonly: false } });
    expect(guestTable.entry(ref)).toMatchObject({ ok: true, value: { reading: true, writing: true } });
    expect(guestTable.endForeignAccess(ref)).toEqual({ ok: false, error: { code: 'in-use', ref } });
    if (!mapped.ok) return;
    expect(hypervisor.unmapGrant(mapped.value.handle)).toEqual({ ok: true, value: undefined });
    expect(guestTable.entry(ref)).toMatchObject({ ok: true, value: { reading: false, writing: false } });
    expect(hypervisor.unmapGrant(mapped.value.handle)).toEqual({ ok: false, error: { code: 'bad-handle', handle: mapped.value.handle } });
  });

  it('refuses a domain the grant does not name, an unknown domain, a self map, a bad or unused ref', () => {
    const { hypervisor, ref } = setup();
    hypervisor.addDomain({ domid: 4, initial: false, type: 'pvh', arch: 'arm' }, new GrantTable(4));
    expect(hypervisor.mapGrant({ mapper: 4, granter: 5, ref, readonly: true })).toEqual({ ok: false, error: { code: 'wrong-domain', granter: 5, ref, grantee: 3, mapper: 4 } });
    expect(hypervisor.mapGrant({ mapper: 9, granter: 5, ref, readonly: true })).toEqual({ ok: false, error: { code: 'no-such-domain', domid: 9 } });
    expect(hypervisor.mapGrant({ mapper: 5, granter: 5, ref, readonly: true })).toEqual({ ok: false, error: { code: 'self-map', domid: 5, ref } });
    expect(hypervisor.mapGrant({ mapper: 3, granter: 5, ref: 1 << 20, readonly: true })).toMatchObject({ ok: false, error: { code: 'bad-ref' } });
    expect(hypervisor.mapGrant({ mapper: 3, granter: 5, ref: ref + 1, readonly: true })).toEqual({ ok: false, error: { code: 'not-granted', granter: 5, ref: ref + 1 } });
  });

  it('maps a read-only grant only read-only, and refuses writes through a read-only mapping', () => {
    const { hypervisor, guestTable, ref } = setup(true);
    expect(hypervisor.mapGrant({ mapper: 3, granter: 5, ref, readonly: false })).toEqual({ ok: false, error: { code: 'readonly-grant', granter: 5, ref } });
    const mapped = hypervisor.mapGrant({ mapper: 3, granter: 5, ref, readonly: true });
    if (!mapped.ok) throw new Error('a read-only map must succeed');
    expect(guestTable.entry(ref)).toMatchObject({ ok: true, value: { reading: true, writing: false } });
    expect(hypervisor.access(mapped.value.handle, 'read')).toEqual({ ok: true, value: 0x1234n });
    expect(hypervisor.access(mapped.value.handle, 'write')).toEqual({ ok: false, error: { code: 'readonly-mapping', handle: mapped.value.handle } });
    expect(hypervisor.mappingsOf(5, ref)).toHaveLength(1);
  });
});
