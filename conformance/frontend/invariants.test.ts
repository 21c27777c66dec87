import { describe, expect, it } from 'vitest';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapResult } from '../../generated/ts/schema/map-result.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import {
  checkDom0Fallback,
  checkFailClosed,
  checkGrantScope,
  checkMalformedSource,
  checkNoSelfGrant,
  checkNoTruncation,
  checkPlatformAccess,
  checkRidArithmetic,
  checkToolstackAssignment,
  checkTrustedSource,
  checkValidDomid,
  describeViolation,
  expectedGrantDmaAddress,
  grantLayout,
  iommuMapDomid,
  type FrontendCase,
} from './invariants.ts';

// VERSION_1 is feature bit 32, ACCESS_PLATFORM bit 33 (VS13 ch. 6).
const ready = '0x300000000';
const device = (id: string, features = ready): ScenarioDevice => ({ id, transport: 'mmio', deviceFeatures: features, backendControlled: ['deviceFeatures'] });
const scenario = (domid: number, initialDomain: boolean, devices: ScenarioDevice[]): Scenario => ({
  guest: { domid, initialDomain, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices,
  channels: {},
});
const grants = (deviceId: string, backendDomid: number): Decision => ({ deviceId, outcome: 'grants', backendDomid });
const none = (deviceId: string): Decision => ({ deviceId, outcome: 'no-grants' });
const refused = (deviceId: string): Decision => ({ deviceId, outcome: 'refused' });
const base: FrontendCase = { scenario: scenario(5, false, [device('a')]), expectations: { a: { assignedDomid: 3, grantUsage: true } } };

describe('trusted source (metamorphic)', () => {
  const withVariant: FrontendCase = { ...base, variant: scenario(5, false, [device('a', '0x100000000')]) };
  it('flags a domid that changes with the backend', () => {
    expect(checkTrustedSource(withVariant, { decisions: [grants('a', 3)], variantDecisions: [grants('a', 4)] })).toMatchObject({ code: 'backend-controlled-domid', decided: 'grants(3)', variantDecided: 'grants(4)' });
    expect(checkTrustedSource(withVariant, { decisions: [none('a')], variantDecisions: [grants('a', 4)] })).toMatchObject({ code: 'backend-controlled-domid' });
  });
  it('accepts equal domids and refusals', () => {
    expect(checkTrustedSource(withVariant, { decisions: [grants('a', 3)], variantDecisions: [grants('a', 3)] })).toBeUndefined();
    expect(checkTrustedSource(withVariant, { decisions: [grants('a', 3)], variantDecisions: [refused('a')] })).toBeUndefined();
  });
  it('flags a wrong number of decisions', () => {
    expect(checkTrustedSource(withVariant, { decisions: [], variantDecisions: [grants('a', 3)] })).toMatchObject({ code: 'decision-count', expected: 1, actual: 0 });
  });
});

describe('toolstack assignment', () => {
  const described: FrontendCase = { ...base, expectations: { a: { assignedDomid: 3, grantUsage: true, trusted: { kind: 'grants', domid: 3 } } } };
  it('flags another domid, and grants where the channel says none', () => {
    expect(checkToolstackAssignment(described, { decisions: [grants('a', 0)] })).toMatchObject({ code: 'not-toolstack-assignment', expected: 'grants(3)', decided: 'grants(0)' });
    const noGrants: FrontendCase = { ...base, expectations: { a: { assignedDomid: 0, grantUsage: false, trusted: { kind: 'no-grants' } } } };
    expect(checkToolstackAssignment(noGrants, { decisions: [grants('a', 0)] })).toMatchObject({ code: 'not-toolstack-assignment' });
  });
  it('accepts the assignment, no grants, a refusal, and anything when no channel describes the device', () => {
    expect(checkToolstackAssignment(described, { decisions: [grants('a', 3)] })).toBeUndefined();
    expect(checkToolstackAssignment(described, { decisions: [none('a')] })).toBeUndefined();
    expect(checkToolstackAssignment(described, { decisions: [refused('a')] })).toBeUndefined();
    expect(checkToolstackAssignment(base, { decisions: [grants('a', 0)] })).toBeUndefined();
  });
});

describe('dom0 fallback and self grants', () => {
  const dom0: FrontendCase = { scenario: scenario(0, true, [device('a')]), expectations: { a: { assignedDomid: 0, grantUsage: true } } };
  it('dom0 granting to 0 with no trusted source naming 0 is the fallback (row 1 column B)', () => {
    expect(checkDom0Fallback(dom0, { decisions: [grants('a', 0)] })).toEqual({ code: 'dom0-fallback-to-self', deviceId: 'a' });
    expect(checkNoSelfGrant(dom0, { decisions: [grants('a', 0)] })).toEqual({ code: 'self-grant', deviceId: 'a', domid: 0 });
  });
  it('a device tree naming 0 in dom0 is not the fallback, but still a self grant (row 12b)', () => {
    const named: FrontendCase = { ...dom0, expectations: { a: { assignedDomid: 0, grantUsage: true, trusted: { kind: 'grants', domid: 0 } } } };
    expect(checkDom0Fallback(named, { decisions: [grants('a', 0)] })).toBeUndefined();
    expect(checkNoSelfGrant(named, { decisions: [grants('a', 0)] })).toMatchObject({ code: 'self-grant' });
  });
  it('dom0 granting to a domU, and a domU granting to 0, are neither', () => {
    expect(checkDom0Fallback(dom0, { decisions: [grants('a', 4)] })).toBeUndefined();
    expect(checkNoSelfGrant(dom0, { decisions: [grants('a', 4)] })).toBeUndefined();
    expect(checkDom0Fallback(base, { decisions: [grants('a', 0)] })).toBeUndefined();
    expect(checkNoSelfGrant(base, { decisions: [grants('a', 0)] })).toBeUndefined();
    expect(checkNoSelfGrant(base, { decisions: [grants('a', 5)] })).toMatchObject({ code: 'self-grant', domid: 5 });
  });
});

describe('valid domid and truncation', () => {
  it('rejects DOMID_FIRST_RESERVED (0x7FF0) and above, accepts 0x7FEF', () => {
    expect(checkValidDomid(base, { decisions: [grants('a', 0x7ff0)] })).toMatchObject({ code: 'reserved-domid', domid: 0x7ff0 });
    expect(checkValidDomid(base, { decisions: [grants('a', 0xffff)] })).toMatchObject({ code: 'reserved-domid' });
    expect(checkValidDomid(base, { decisions: [grants('a', 0x7fef)] })).toBeUndefined();
    expect(checkValidDomid(base, { decisions: [refused('a')] })).toBeUndefined();
  });
  it('a cell of 0x10005 that becomes a grant is truncation, whatever domid it became', () => {
    const wide: FrontendCase = { ...base, expectations: { a: { assignedDomid: 5, grantUsage: true, dtCell: 0x1_0005 } } };
    expect(checkNoTruncation(wide, { decisions: [grants('a', 5)] })).toEqual({ code: 'truncated-cell', deviceId: 'a', cell: 0x1_0005, domid: 5 });
    expect(checkNoTruncation(wide, { decisions: [none('a')] })).toBeUndefined();
    const narrow: FrontendCase = { ...base, expectations: { a: { assignedDomid: 5, grantUsage: true, dtCell: 0xffff } } };
    expect(checkNoTruncation(narrow, { decisions: [grants('a', 0xffff)] })).toBeUndefined();
  });
});

describe('malformed sources and fail closed', () => {
  const broken: FrontendCase = { ...base, expectations: { a: { assignedDomid: 3, grantUsage: true, malformedTrusted: 'dangling phandle' } } };
  it('grants from a malformed source are a violation; no grants or refusal are not', () => {
    expect(checkMalformedSource(broken, { decisions: [grants('a', 3)] })).toMatchObject({ code: 'malformed-source-granted', domid: 3 });
    expect(checkMalformedSource(broken, { decisions: [none('a')] })).toBeUndefined();
    expect(checkFailClosed(broken, { decisions: [refused('a')] })).toBeUndefined();
  });
  it('a crash is never closed', () => {
    expect(checkFailClosed(base, { decisions: [{ deviceId: 'a', outcome: 'crash', reason: 'oops' }] })).toEqual({ code: 'crash', deviceId: 'a', reason: 'oops' });
    expect(checkMalformedSource(base, { decisions: [{ deviceId: 'a', outcome: 'crash' }] })).toBeUndefined();
  });
});

describe('platform access', () => {
  it('grants need VERSION_1 (bit 32) and ACCESS_PLATFORM (bit 33)', () => {
    const onlyVersion1: FrontendCase = { ...base, scenario: scenario(5, false, [device('a', '0x100000000')]) };
    expect(checkPlatformAccess(onlyVersion1, { decisions: [grants('a', 3)] })).toEqual({ code: 'grants-without-platform-access', deviceId: 'a', missing: ['ACCESS_PLATFORM'] });
    const neither: FrontendCase = { ...base, scenario: scenario(5, false, [device('a', '0x1')]) };
    expect(checkPlatformAccess(neither, { decisions: [grants('a', 3)] })).toMatchObject({ missing: ['VERSION_1', 'ACCESS_PLATFORM'] });
    expect(checkPlatformAccess(neither, { decisions: [refused('a')] })).toBeUndefined();
    expect(checkPlatformAccess(base, { decisions: [grants('a', 3)] })).toBeUndefined();
  });
});

describe('grant scope', () => {
  // One to-device buffer 0x10 bytes into frame 0x100, 0x1000 long: it spans two pages.
  const mapped: FrontendCase = { ...base, request: { deviceId: 'a', buffers: [{ frame: 0x100, offset: 0x10, length: 0x1000, direction: 'to-device', coherent: false }] } };
  const good: MapResult = {
    deviceId: 'a',
    outcome: 'mapped',
    mappings: [{ dmaAddress: '0x8000000000009010', grants: [{ ref: 9, domid: 3, frame: 0x100, readonly: true }, { ref: 10, domid: 3, frame: 0x101, readonly: true }] }],
  };
  const answers = (result: MapResult) => ({ decisions: [grants('a', 3)], mapResult: result });
  it('encodes bit 63, the first ref shifted by 12 and the page offset (digest §5.3)', () => {
    expect(expectedGrantDmaAddress(9, 0x10)).toBe(0x8000_0000_0000_9010n);
    expect(expectedGrantDmaAddress(1, 0x1fff)).toBe(0x8000_0000_0000_1fffn);
  });
  it('accepts the Linux mapping', () => {
    for (const aspect of ['domid', 'access', 'address', 'refs', 'frames'] as const) expect(checkGrantScope(aspect, mapped, answers(good))).toBeUndefined();
  });
  it('flags a grant to another domid, a writable grant for a read-only buffer, a wrong address', () => {
    const mapping = good.mappings[0]!;
    const otherDomid = { ...good, mappings: [{ ...mapping, grants: [mapping.grants[0]!, { ...mapping.grants[1]!, domid: 0 }] }] };
    expect(checkGrantScope('domid', mapped, answers(otherDomid))).toMatchObject({ code: 'grant-domid', ref: 10, domid: 0, expected: 3 });
    const writable = { ...good, mappings: [{ ...mapping, grants: mapping.grants.map((grant) => ({ ...grant, readonly: false })) }] };
    expect(checkGrantScope('access', mapped, answers(writable))).toMatchObject({ code: 'grant-access', readonly: false, expectedReadonly: true });
    const offsetLost = { ...good, mappings: [{ ...mapping, dmaAddress: '0x8000000000009000' }] };
    expect(checkGrantScope('address', mapped, answers(offsetLost))).toMatchObject({ code: 'dma-address', expected: '0x8000000000009010' });
    // The backend resolves page 1 of the address to ref 10, which the frontend never created.
    const gap = { ...good, mappings: [{ ...mapping, grants: [mapping.grants[0]!, { ...mapping.grants[1]!, ref: 12 }] }] };
    expect(checkGrantScope('address', mapped, answers(gap))).toEqual({ code: 'dma-address-grant', buffer: 0, page: 1, ref: 10, frame: null, expectedFrame: 0x101 });
    const short = { ...good, mappings: [{ ...mapping, grants: [mapping.grants[0]!] }] };
    expect(checkGrantScope('domid', mapped, answers(short))).toMatchObject({ code: 'grant-count', expected: 2, actual: 1 });
  });
  it('judges the address as the backend resolves it, not from the references the frontend reports', () => {
    // Consecutive refs 9 and 10, address on ref 9, but ref 9 grants the second frame: the device would DMA into the wrong page.
    const swapped = { ...good, mappings: [{ dmaAddress: '0x8000000000009010', grants: [{ ref: 9, domid: 3, frame: 0x101, readonly: true }, { ref: 10, domid: 3, frame: 0x100, readonly: true }] }] };
    expect(checkGrantScope('address', mapped, answers(swapped))).toEqual({ code: 'dma-address-grant', buffer: 0, page: 0, ref: 9, frame: 0x101, expectedFrame: 0x100 });
    const physical = { ...good, mappings: [{ ...good.mappings[0]!, dmaAddress: '0x100010' }] };
    expect(checkGrantScope('address', mapped, answers(physical))).toMatchObject({ code: 'dma-address', address: '0x100010' });
  });
  it('grant references: never a reserved entry, never one reference for two buffers in flight (XEN-INV-20, XEN-INV-21)', () => {
    const reserved = { ...good, mappings: [{ dmaAddress: '0x8000000000001010', grants: [{ ref: 1, domid: 3, frame: 0x100, readonly: true }, { ref: 2, domid: 3, frame: 0x101, readonly: true }] }] };
    expect(checkGrantScope('refs', mapped, answers(reserved))).toEqual({ code: 'reserved-grant-ref', buffer: 0, ref: 1 });
    const two: FrontendCase = { ...mapped, request: { deviceId: 'a', buffers: [mapped.request!.buffers[0]!, { frame: 0x300, offset: 0, length: 16, direction: 'from-device', coherent: false }] } };
    const shared = { ...good, mappings: [good.mappings[0]!, { dmaAddress: '0x800000000000a000', grants: [{ ref: 10, domid: 3, frame: 0x300, readonly: false }] }] };
    expect(checkGrantScope('refs', two, answers(shared))).toEqual({ code: 'shared-grant-ref', ref: 10, buffers: [0, 1] });
    const distinct = { ...good, mappings: [good.mappings[0]!, { dmaAddress: '0x800000000000b000', grants: [{ ref: 11, domid: 3, frame: 0x300, readonly: false }] }] };
    expect(checkGrantScope('refs', two, answers(distinct))).toBeUndefined();
  });
  it('frames: a page past the 32-bit frame field of a v1 entry cannot be granted by cutting the frame down (XEN-INV-22)', () => {
    const top: FrontendCase = { ...base, request: { deviceId: 'a', buffers: [{ frame: 0xffff_ffff, offset: 0, length: 0x1001, direction: 'from-device', coherent: false }] } };
    const truncated: MapResult = { deviceId: 'a', outcome: 'mapped', mappings: [{ dmaAddress: '0x8000000000009000', grants: [{ ref: 9, domid: 3, frame: 0xffff_ffff, readonly: false }, { ref: 10, domid: 3, frame: 0, readonly: false }] }] };
    expect(checkGrantScope('frames', top, answers(truncated))).toEqual({ code: 'grant-frame', buffer: 0, ref: 10, frame: 0, expected: 0x1_0000_0000 });
    expect(checkGrantScope('frames', top, answers({ deviceId: 'a', outcome: 'refused', mappings: [] }))).toBeUndefined();
  });
  it("coherent allocations are whole pages from a page boundary, read-write, address without offset (Linux's coherent alloc)", () => {
    // Linux: XEN_PFN_UP(size) grants, grant_to_dma(first); a 0x1001-byte allocation needs two pages.
    const coherent: FrontendCase = { ...base, request: { deviceId: 'a', buffers: [{ frame: 0x200, offset: 0, length: 0x1001, direction: 'bidirectional', coherent: true }] } };
    const linux: MapResult = { deviceId: 'a', outcome: 'mapped', mappings: [{ dmaAddress: '0x8000000000009000', grants: [{ ref: 9, domid: 3, frame: 0x200, readonly: false }, { ref: 10, domid: 3, frame: 0x201, readonly: false }] }] };
    for (const aspect of ['domid', 'access', 'address', 'refs', 'frames'] as const) expect(checkGrantScope(aspect, coherent, answers(linux))).toBeUndefined();
    expect(grantLayout(coherent.request!.buffers[0]!)).toEqual({ pages: 2, offset: 0, readonly: false });
    const readonly = { ...linux, mappings: [{ ...linux.mappings[0]!, grants: linux.mappings[0]!.grants.map((grant) => ({ ...grant, readonly: true })) }] };
    expect(checkGrantScope('access', coherent, answers(readonly))).toMatchObject({ code: 'grant-access', expectedReadonly: false });
  });
  it('flags grants made for a device decided to use none', () => {
    expect(checkGrantScope('domid', mapped, { decisions: [none('a')], mapResult: good })).toMatchObject({ code: 'map-outcome', outcome: 'mapped' });
  });
});

describe('RID arithmetic (digest §4.7, §5.4)', () => {
  it('maps masked RID - rid-base + domid-base, first matching entry', () => {
    // 00:01.1 is RID 0x09; the RFC's <0x08 ... 5 8> gives it domid 6.
    expect(iommuMapDomid(0x09, [{ ridBase: 0x08, domidBase: 5, length: 8 }])).toBe(6);
    expect(iommuMapDomid(0x09, [{ ridBase: 0x09, domidBase: 5, length: 1 }])).toBe(5);
    // Mask 0xfff8 drops the function bits: every function of the slot maps like function 0.
    expect(iommuMapDomid(0x0b, [{ ridBase: 0x08, domidBase: 5, length: 1 }], 0xfff8)).toBe(5);
    expect(iommuMapDomid(0x10, [{ ridBase: 0x08, domidBase: 5, length: 8 }])).toBeNull();
  });
  it('flags a domid other than the arithmetic, and grants where nothing matches', () => {
    const ridCase: FrontendCase = { ...base, expectations: { a: { assignedDomid: 0, grantUsage: true, ridDomid: 6 } } };
    expect(checkRidArithmetic(ridCase, { decisions: [grants('a', 5)] })).toEqual({ code: 'rid-arithmetic', deviceId: 'a', expected: 6, domid: 5 });
    expect(checkRidArithmetic(ridCase, { decisions: [grants('a', 6)] })).toBeUndefined();
    const unmatched: FrontendCase = { ...base, expectations: { a: { assignedDomid: 0, grantUsage: true, ridDomid: null } } };
    expect(checkRidArithmetic(unmatched, { decisions: [grants('a', 5)] })).toMatchObject({ code: 'rid-arithmetic', expected: null });
    expect(checkRidArithmetic(unmatched, { decisions: [none('a')] })).toBeUndefined();
  });
});

describe('descriptions', () => {
  it('name the device and the domid', () => {
    expect(describeViolation({ code: 'self-grant', deviceId: 'net0', domid: 0 })).toContain('net0');
    expect(describeViolation({ code: 'reserved-domid', deviceId: 'a', domid: 0x7ff5 })).toContain('0x7ff5');
  });
});
