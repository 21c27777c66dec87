import { describe, expect, it } from 'vitest';
import { DOMID_T_MAX, isReservedDomid, isValidDomid, truncateToDomidT } from './domid.ts';
import { checkDomain, isPvDomain } from './domain.ts';

describe('domid rules', () => {
  it('valid iff below DOMID_FIRST_RESERVED (0x7FF0)', () => {
    expect(isValidDomid(0)).toBe(true);
    expect(isValidDomid(0x7fef)).toBe(true);
    expect(isValidDomid(0x7ff0)).toBe(false);
    expect(isValidDomid(0x7ff4)).toBe(false);
    expect(isValidDomid(-1)).toBe(false);
    expect(isValidDomid(1.5)).toBe(false);
    expect(isReservedDomid(0x7fff)).toBe(true);
    expect(isReservedDomid(0x7fef)).toBe(false);
  });

  it('truncates a 32-bit cell to domid_t like a C assignment', () => {
    expect(DOMID_T_MAX).toBe(0xffff);
    expect(truncateToDomidT(0x1_0005)).toBe(5);
    expect(truncateToDomidT(0xffff_7ff0)).toBe(0x7ff0);
  });

  it('knows that Arm has no PV guests and that PVH is not PV', () => {
    expect(checkDomain({ domid: 1, initial: false, type: 'pv', arch: 'arm' })).toEqual([{ code: 'pv-on-arm' }]);
    expect(checkDomain({ domid: 0x7ff2, initial: false, type: 'hvm', arch: 'x86' })).toEqual([{ code: 'reserved-domid', domid: 0x7ff2 }]);
    expect(isPvDomain({ type: 'pvh', arch: 'x86' })).toBe(false);
    expect(isPvDomain({ type: 'pv', arch: 'x86' })).toBe(true);
  });
});
