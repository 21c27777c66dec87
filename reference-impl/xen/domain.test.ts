import { describe, expect, it } from 'vitest';
import { checkDomain, isPvDomain } from './domain.ts';

describe('domains', () => {
  it('accept a domain Xen can run', () => {
    expect(checkDomain({ domid: 1, initial: false, type: 'pvh', arch: 'arm' })).toEqual([]);
    expect(checkDomain({ domid: 0, initial: true, type: 'pv', arch: 'x86' })).toEqual([]);
  });

  it('refuse a reserved domid and a PV guest on Arm', () => {
    expect(checkDomain({ domid: 0x7ff0, initial: false, type: 'pv', arch: 'arm' })).toEqual([{ code: 'reserved-domid', domid: 0x7ff0 }, { code: 'pv-on-arm' }]);
  });

  it('count only x86 PV guests as PV, PVH being HVM for Linux', () => {
    expect([isPvDomain({ type: 'pv', arch: 'x86' }), isPvDomain({ type: 'pvh', arch: 'x86' }), isPvDomain({ type: 'hvm', arch: 'x86' }), isPvDomain({ type: 'pv', arch: 'arm' })]).toEqual([true, false, false, false]);
  });
});
