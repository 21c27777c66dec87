/**
 * The frontend invariants of DESIGN.md ("Invariants (frontend side)") as pure functions: a case (the
 * platform one guest sees, plus what the toolstack assigned and published for each device), the
 * decisions and map results a frontend returned for it, and out comes either nothing or a violation.
 * Violations are a discriminated union on `code`. Expected values are computed here from the digest's
 * rules (§5.1 domids, §5.3 grant DMA addresses, §5.4 iommu-map arithmetic), never by asking a
 * reference implementation.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapBuffer, MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { BufferMapping, MapResult } from '../../generated/ts/schema/map-result.ts';
import { GNTTAB_NR_RESERVED_ENTRIES } from '../../generated/ts/xen/grant-table.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { DOMID_FIRST_RESERVED } from '../../generated/ts/xen/xen-domid.ts';
import { XEN_GRANT_DMA_ADDR_OFF, XEN_PAGE_SHIFT, XEN_PAGE_SIZE } from '../../generated/ts/xen/xen-grant-dma-addr.ts';

/** What the generator knows about one device beyond the scenario the frontend sees. */
export interface DeviceExpectation {
  /** Backend domid the toolstack assigned (xl `backend=`). */
  assignedDomid: number;
  /** Resolved grant_usage: whether the toolstack wants grants for the device. */
  grantUsage: boolean;
  /**
   * What a trusted channel (toolstack device tree, xenstore, ..., or the mechanism under test) says
   * about the device: grants towards `domid`, or explicitly no grants. Absent: no trusted channel
   * describes the device.
   */
  trusted?: { kind: 'grants'; domid: number } | { kind: 'no-grants' };
  /** The raw 32-bit device-tree cell the tree gives as this device's backend domid. */
  dtCell?: number;
  /** A trusted source for this device is present but malformed (the reason). */
  malformedTrusted?: string;
  /** The domid the host bridge's iommu-map gives by the binding's arithmetic; null when no entry matches. */
  ridDomid?: number | null;
}

/** One generated input of a frontend property. */
export interface FrontendCase {
  /** The platform, with the bytes of one (possibly hostile) backend. */
  scenario: Scenario;
  /** The same platform and trusted inputs with a different backend's bytes (metamorphic properties). */
  variant?: Scenario;
  /** Per device id. */
  expectations: Record<string, DeviceExpectation>;
  /** Buffers to map (grant-scope properties). */
  request?: MapRequest;
  /** What the variant changes, for metamorphic properties whose variant must not matter. */
  change?: string;
}

/** What a frontend answered for a case. */
export interface CaseAnswers {
  decisions: Decision[];
  variantDecisions?: Decision[];
  mapResult?: MapResult;
}

/** A broken invariant, with what is needed to explain it. */
export type Violation =
  | { code: 'decision-count'; expected: number; actual: number; scenario: 'scenario' | 'variant' }
  | { code: 'backend-controlled-domid'; deviceId: string; decided: string; variantDecided: string }
  | { code: 'decision-changed'; deviceId: string; decided: string; variantDecided: string; change: string }
  | { code: 'not-toolstack-assignment'; deviceId: string; expected: string; decided: string }
  | { code: 'dom0-fallback-to-self'; deviceId: string }
  | { code: 'self-grant'; deviceId: string; domid: number }
  | { code: 'reserved-domid'; deviceId: string; domid: number }
  | { code: 'truncated-cell'; deviceId: string; cell: number; domid: number }
  | { code: 'malformed-source-granted'; deviceId: string; domid: number | undefined; reason: string }
  | { code: 'crash'; deviceId: string; reason?: string }
  | { code: 'grants-without-platform-access'; deviceId: string; missing: string[] }
  | { code: 'map-outcome'; deviceId: string; decision: string; outcome: string }
  | { code: 'grant-count'; buffer: number; expected: number; actual: number }
  | { code: 'grant-domid'; buffer: number; ref: number; domid: number; expected: number }
  | { code: 'grant-frame'; buffer: number; ref: number; frame: number; expected: number }
  | { code: 'grant-access'; buffer: number; ref: number; readonly: boolean; expectedReadonly: boolean }
  | { code: 'grant-refs-not-consecutive'; buffer: number; refs: number[] }
  | { code: 'dma-address'; buffer: number; address: string; expected: string }
  | { code: 'dma-address-grant'; buffer: number; page: number; ref: number; frame: number | null; expectedFrame: number }
  | { code: 'reserved-grant-ref'; buffer: number; ref: number }
  | { code: 'shared-grant-ref'; ref: number; buffers: [number, number] }
  | { code: 'rid-arithmetic'; deviceId: string; expected: number | null; domid: number };

/** Feature bits a device used with grants must offer (digest §5.7). */
export const grantRequiredFeatures = { VERSION_1: VirtioFeatures.VERSION_1, ACCESS_PLATFORM: VirtioFeatures.ACCESS_PLATFORM } as const;

/** Short text of a decision's domid-relevant part: `grants(d)`, `no-grants`, `refused`, `crash`. */
export function decisionSummary(decision: Decision | undefined): string {
  if (!decision) return 'missing';
  return decision.outcome === 'grants' ? `grants(${String(decision.backendDomid)})` : decision.outcome;
}

function countProblem(scenario: Scenario, decisions: Decision[], which: 'scenario' | 'variant'): Violation | undefined {
  return decisions.length === scenario.devices.length ? undefined : { code: 'decision-count', expected: scenario.devices.length, actual: decisions.length, scenario: which };
}

/** Pairs each device of the scenario with its decision (by id, else by position). */
function decisionFor(decisions: Decision[], deviceId: string, index: number): Decision | undefined {
  return decisions.find((decision) => decision.deviceId === deviceId) ?? decisions[index];
}

/** Runs `check` on every device with its decision; the first violation wins. */
function perDevice(testCase: FrontendCase, answers: CaseAnswers, check: (deviceId: string, decision: Decision, expectation: DeviceExpectation | undefined) => Violation | undefined): Violation | undefined {
  const count = countProblem(testCase.scenario, answers.decisions, 'scenario');
  if (count) return count;
  for (const [index, device] of testCase.scenario.devices.entries()) {
    const decision = decisionFor(answers.decisions, device.id, index);
    if (!decision) continue;
    const violation = check(device.id, decision, testCase.expectations[device.id]);
    if (violation) return violation;
  }
  return undefined;
}

/** The domid-relevant part of a decision for the metamorphic comparison; refusals and crashes are no domid. */
function domidSignature(decision: Decision | undefined): string | undefined {
  if (!decision) return undefined;
  if (decision.outcome === 'grants') return `grants(${String(decision.backendDomid)})`;
  return decision.outcome === 'no-grants' ? 'no-grants' : undefined;
}

/**
 * Trusted source, metamorphic (XEN-INV-01): with two backends that differ only in bytes they control,
 * every device gets the same backend domid (or no grants) both times. A refusal on either side is no
 * domid, so a frontend that refuses a device because of its feature bits does not break this.
 */
export function checkTrustedSource(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  if (!testCase.variant || !answers.variantDecisions) return undefined;
  const count = countProblem(testCase.scenario, answers.decisions, 'scenario') ?? countProblem(testCase.variant, answers.variantDecisions, 'variant');
  if (count) return count;
  for (const [index, device] of testCase.scenario.devices.entries()) {
    const first = domidSignature(decisionFor(answers.decisions, device.id, index));
    const second = domidSignature(decisionFor(answers.variantDecisions, device.id, index));
    if (first !== undefined && second !== undefined && first !== second) {
      return { code: 'backend-controlled-domid', deviceId: device.id, decided: first, variantDecided: second };
    }
  }
  return undefined;
}

/**
 * Same decision (metamorphic): the variant differs from the scenario only in something a conformant
 * driver ignores (`FrontendCase.change` says what), so every device gets the same outcome and domid,
 * refusals included.
 */
export function checkSameDecisions(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  if (!testCase.variant || !answers.variantDecisions) return undefined;
  const count = countProblem(testCase.scenario, answers.decisions, 'scenario') ?? countProblem(testCase.variant, answers.variantDecisions, 'variant');
  if (count) return count;
  for (const [index, device] of testCase.scenario.devices.entries()) {
    const first = decisionSummary(decisionFor(answers.decisions, device.id, index));
    const second = decisionSummary(decisionFor(answers.variantDecisions, device.id, index));
    if (first !== second) return { code: 'decision-changed', deviceId: device.id, decided: first, variantDecided: second, change: testCase.change ?? 'the variant' };
  }
  return undefined;
}

/**
 * Toolstack assignment (XEN-INV-12): when a trusted channel describes a device, a frontend that uses
 * grants uses exactly the described domid, and uses none when the channel says no grants. Not using
 * grants (a kernel without grant support) or refusing is always allowed: no domid is used then.
 */
export function checkToolstackAssignment(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision, expectation) => {
    const trusted = expectation?.trusted;
    if (!trusted || decision.outcome !== 'grants') return undefined;
    const expected = trusted.kind === 'grants' ? `grants(${trusted.domid})` : 'no-grants';
    const decided = decisionSummary(decision);
    return expected === decided ? undefined : { code: 'not-toolstack-assignment', deviceId, expected, decided };
  });
}

/**
 * Dom0 fallback (XEN-INV-02): the initial domain never grants to domid 0 unless a trusted channel
 * named domid 0 for the device (then it is not the fallback; XEN-INV-03 judges it).
 */
export function checkDom0Fallback(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  if (!testCase.scenario.guest.initialDomain) return undefined;
  return perDevice(testCase, answers, (deviceId, decision, expectation) => {
    if (decision.outcome !== 'grants' || decision.backendDomid !== 0) return undefined;
    const named = expectation?.trusted?.kind === 'grants' && expectation.trusted.domid === 0;
    const cellNamed = expectation?.dtCell !== undefined;
    return named || cellNamed ? undefined : { code: 'dom0-fallback-to-self', deviceId };
  });
}

/** No self grant (XEN-INV-03): no device is driven with grants towards the guest's own domid. */
export function checkNoSelfGrant(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  const own = testCase.scenario.guest.domid;
  return perDevice(testCase, answers, (deviceId, decision) =>
    decision.outcome === 'grants' && decision.backendDomid === own ? { code: 'self-grant', deviceId, domid: own } : undefined,
  );
}

/** Valid domid (XEN-INV-06): a grant decision names a domid below DOMID_FIRST_RESERVED. */
export function checkValidDomid(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision) => {
    if (decision.outcome !== 'grants') return undefined;
    const domid = decision.backendDomid;
    const valid = domid !== undefined && Number.isInteger(domid) && domid >= 0 && domid < DOMID_FIRST_RESERVED;
    return valid ? undefined : { code: 'reserved-domid', deviceId, domid: domid ?? -1 };
  });
}

/** No truncation (XEN-INV-13): a device-tree cell too wide for a 16-bit domid never becomes a grant. */
export function checkNoTruncation(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision, expectation) => {
    const cell = expectation?.dtCell;
    if (cell === undefined || cell <= 0xffff || decision.outcome !== 'grants') return undefined;
    return { code: 'truncated-cell', deviceId, cell, domid: decision.backendDomid ?? -1 };
  });
}

/**
 * Malformed trusted source (XEN-INV-05, XEN-INV-07, XEN-INV-14): a device whose trusted source is
 * present but malformed gets no grants at all.
 */
export function checkMalformedSource(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision, expectation) => {
    const reason = expectation?.malformedTrusted;
    if (reason === undefined || decision.outcome !== 'grants') return undefined;
    return { code: 'malformed-source-granted', deviceId, domid: decision.backendDomid, reason };
  });
}

/**
 * Fail closed (XEN-INV-14): no guessed domid from a malformed trusted source, and no crash while
 * looking for one — a lookup that cannot complete must end in no grants or a refusal.
 */
export function checkFailClosed(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return (
    perDevice(testCase, answers, (deviceId, decision) =>
      decision.outcome === 'crash' ? { code: 'crash', deviceId, ...(decision.reason !== undefined && { reason: decision.reason }) } : undefined,
    ) ?? checkMalformedSource(testCase, answers)
  );
}

/** Parses a 0x-hex feature word; undefined when it is not one. */
function featureWord(text: string | undefined): bigint | undefined {
  return text !== undefined && /^0x[0-9a-fA-F]{1,16}$/.test(text) ? BigInt(text) : undefined;
}

/** Platform access (XEN-INV-04, VIRTIO-DRV-14): grants only to a device offering VERSION_1 and ACCESS_PLATFORM. */
export function checkPlatformAccess(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision) => {
    if (decision.outcome !== 'grants') return undefined;
    const device = testCase.scenario.devices.find((candidate) => candidate.id === deviceId);
    const features = featureWord(device?.deviceFeatures) ?? 0n;
    const missing = Object.entries(grantRequiredFeatures).filter(([, bit]) => (features & bit) === 0n).map(([name]) => name);
    return missing.length > 0 ? { code: 'grants-without-platform-access', deviceId, missing } : undefined;
  });
}

/**
 * Which part of grant scope a check judges: the grantee (XEN-INV-15), read-only access (XEN-INV-16),
 * the DMA address (XEN-INV-18), reference bookkeeping (XEN-INV-20, XEN-INV-21), frames (XEN-INV-22).
 */
export type GrantScopeAspect = 'domid' | 'access' | 'address' | 'refs' | 'frames';

/** What the map result must be for the request's device, by the decision the frontend made. */
function mapOutcomeProblem(testCase: FrontendCase, answers: CaseAnswers): { violation?: Violation; decision?: Decision } {
  const request = testCase.request;
  if (!request || !answers.mapResult) return {};
  const index = testCase.scenario.devices.findIndex((device) => device.id === request.deviceId);
  const decision = decisionFor(answers.decisions, request.deviceId, index);
  if (!decision) return {};
  const result = answers.mapResult;
  const expectedOutcome = decision.outcome === 'grants' ? 'mapped' : decision.outcome === 'no-grants' ? 'direct' : 'refused';
  const grantsMade = result.mappings.some((mapping) => mapping.grants.length > 0);
  // A frontend that grants for a device it decided not to grant for is judged here whatever the aspect.
  if ((expectedOutcome !== 'mapped' && grantsMade) || (expectedOutcome === 'mapped' && result.outcome !== 'mapped' && result.outcome !== 'refused')) {
    return { violation: { code: 'map-outcome', deviceId: request.deviceId, decision: decisionSummary(decision), outcome: result.outcome }, decision };
  }
  return { decision };
}

/**
 * How Linux's grant DMA ops lay a buffer out (digest §5.3): a streaming mapping (map_page) covers
 * XEN_PFN_UP(offset in page + length) frames and hands the device the offset in the low bits; a
 * coherent allocation (the coherent alloc op) is whole pages from a page boundary, XEN_PFN_UP(length)
 * of them, and its address has no offset.
 */
export function grantLayout(buffer: MapBuffer): { pages: number; offset: number; readonly: boolean } {
  const offset = buffer.coherent ? 0 : buffer.offset % XEN_PAGE_SIZE;
  return { pages: Math.ceil((offset + buffer.length) / XEN_PAGE_SIZE), offset, readonly: !buffer.coherent && buffer.direction === 'to-device' };
}

/** grant_to_dma(ref) + offset in page, digest §5.3. */
export function expectedGrantDmaAddress(ref: number, offset: number): bigint {
  return XEN_GRANT_DMA_ADDR_OFF | (BigInt(ref) << BigInt(XEN_PAGE_SHIFT)) | BigInt(offset % XEN_PAGE_SIZE);
}

/** dma_to_grant and the offset, or undefined when the text is not a grant-encoded 64-bit address. */
function decodeGrantAddress(text: string): { ref: number; offset: number } | undefined {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  const address = BigInt(text);
  if ((address & XEN_GRANT_DMA_ADDR_OFF) === 0n) return undefined;
  const ref = (address & ~XEN_GRANT_DMA_ADDR_OFF) >> BigInt(XEN_PAGE_SHIFT);
  return ref > 0xffff_ffffn ? undefined : { ref: Number(ref), offset: Number(address & BigInt(XEN_PAGE_SIZE - 1)) };
}

/** The address check: what the device resolves from the address must be the buffer, frame by frame. */
function addressProblem(index: number, buffer: MapBuffer, mapping: BufferMapping): Violation | undefined {
  const layout = grantLayout(buffer);
  const decoded = decodeGrantAddress(mapping.dmaAddress);
  if (!decoded) return { code: 'dma-address', buffer: index, address: mapping.dmaAddress, expected: `a grant address (bit 63 set) with page offset 0x${layout.offset.toString(16)}` };
  if (decoded.offset !== layout.offset) return { code: 'dma-address', buffer: index, address: mapping.dmaAddress, expected: `0x${expectedGrantDmaAddress(decoded.ref, layout.offset).toString(16)}` };
  for (let page = 0; page < layout.pages; page++) {
    const ref = decoded.ref + page;
    const grant = mapping.grants.find((candidate) => candidate.ref === ref);
    if (!grant || grant.frame !== buffer.frame + page) return { code: 'dma-address-grant', buffer: index, page, ref, frame: grant?.frame ?? null, expectedFrame: buffer.frame + page };
  }
  return undefined;
}

/**
 * Grant scope (XEN-INV-15 domid, XEN-INV-16 access, XEN-INV-18 address, XEN-INV-20/21 references,
 * XEN-INV-22 frames): for a device decided to use grants, each buffer gets one grant per page it
 * occupies (grantLayout); every grant names the decision's backend domid; grants are read-only
 * exactly when the device only reads; the address, decoded the way a backend decodes it, leads to
 * grants of the buffer's own frames; no reference is a reserved entry or used twice in the request;
 * every frame is the buffer's, unchanged.
 */
export function checkGrantScope(aspect: GrantScopeAspect, testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  const { violation, decision } = mapOutcomeProblem(testCase, answers);
  if (violation) return violation;
  const request = testCase.request;
  const result = answers.mapResult;
  if (!request || !result || !decision || decision.outcome !== 'grants' || result.outcome !== 'mapped') return undefined;
  const domid = decision.backendDomid ?? -1;
  const usedBy = new Map<number, number>();
  for (const [index, buffer] of request.buffers.entries()) {
    const mapping = result.mappings[index];
    const layout = grantLayout(buffer);
    if (!mapping || mapping.grants.length !== layout.pages) return { code: 'grant-count', buffer: index, expected: layout.pages, actual: mapping?.grants.length ?? 0 };
    for (const [page, grant] of mapping.grants.entries()) {
      if (aspect === 'domid' && grant.domid !== domid) return { code: 'grant-domid', buffer: index, ref: grant.ref, domid: grant.domid, expected: domid };
      if (aspect === 'frames' && grant.frame !== buffer.frame + page) return { code: 'grant-frame', buffer: index, ref: grant.ref, frame: grant.frame, expected: buffer.frame + page };
      if (aspect === 'access' && grant.readonly !== layout.readonly) return { code: 'grant-access', buffer: index, ref: grant.ref, readonly: grant.readonly, expectedReadonly: layout.readonly };
      if (aspect === 'refs') {
        if (grant.ref < GNTTAB_NR_RESERVED_ENTRIES) return { code: 'reserved-grant-ref', buffer: index, ref: grant.ref };
        const earlier = usedBy.get(grant.ref);
        if (earlier !== undefined) return { code: 'shared-grant-ref', ref: grant.ref, buffers: [earlier, index] };
        usedBy.set(grant.ref, index);
      }
    }
    if (aspect === 'address') {
      const problem = addressProblem(index, buffer, mapping);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * RID arithmetic (XEN-INV-08, XEN-INV-19): a PCI function behind a DT host bridge that uses grants
 * uses the domid the iommu-map gives for its own requester id after the mask; with no matching entry
 * it uses no grants.
 */
export function checkRidArithmetic(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined {
  return perDevice(testCase, answers, (deviceId, decision, expectation) => {
    if (!expectation || expectation.ridDomid === undefined || decision.outcome !== 'grants') return undefined;
    const domid = decision.backendDomid ?? -1;
    return domid === expectation.ridDomid ? undefined : { code: 'rid-arithmetic', deviceId, expected: expectation.ridDomid, domid };
  });
}

/**
 * The binding's iommu-map lookup (digest §5.4), written from the binding rather than taken from the
 * reference: mask the RID, take the first entry whose [ridBase, ridBase + length) holds it, and
 * return masked − ridBase + domidBase; null when none matches.
 */
export function iommuMapDomid(rid: number, map: readonly { ridBase: number; domidBase: number; length: number }[], mask = 0xffff_ffff): number | null {
  const masked = Number(BigInt(rid) & BigInt(mask));
  const entry = map.find((candidate) => masked >= candidate.ridBase && masked < candidate.ridBase + candidate.length);
  return entry ? masked - entry.ridBase + entry.domidBase : null;
}

/** A human-readable sentence for a violation. */
export function describeViolation(violation: Violation): string {
  switch (violation.code) {
    case 'decision-count':
      return `frontend answered ${violation.actual} decisions for ${violation.expected} devices (${violation.scenario})`;
    case 'backend-controlled-domid':
      return `device ${violation.deviceId}: ${violation.decided} with one backend, ${violation.variantDecided} with another that differs only in backend-controlled bytes`;
    case 'decision-changed':
      return `device ${violation.deviceId}: ${violation.decided} before and ${violation.variantDecided} after ${violation.change}, which a conformant driver ignores`;
    case 'not-toolstack-assignment':
      return `device ${violation.deviceId}: the trusted channel says ${violation.expected}, the frontend decided ${violation.decided}`;
    case 'dom0-fallback-to-self':
      return `device ${violation.deviceId}: the initial domain grants to domid 0 though no trusted source names domid 0`;
    case 'self-grant':
      return `device ${violation.deviceId}: grants to the guest's own domid ${violation.domid}`;
    case 'reserved-domid':
      return `device ${violation.deviceId}: grants to domid 0x${violation.domid.toString(16)}, at or above DOMID_FIRST_RESERVED`;
    case 'truncated-cell':
      return `device ${violation.deviceId}: device-tree cell 0x${violation.cell.toString(16)} became a grant to domid 0x${violation.domid.toString(16)}`;
    case 'malformed-source-granted':
      return `device ${violation.deviceId}: grants to ${String(violation.domid)} although its trusted source is malformed (${violation.reason})`;
    case 'crash':
      return `device ${violation.deviceId}: the frontend crashes${violation.reason ? ` (${violation.reason})` : ''}`;
    case 'grants-without-platform-access':
      return `device ${violation.deviceId}: grants although the device does not offer ${violation.missing.join(' and ')}`;
    case 'map-outcome':
      return `device ${violation.deviceId}: decision ${violation.decision} but map outcome ${violation.outcome}`;
    case 'grant-count':
      return `buffer ${violation.buffer}: ${violation.actual} grants for a buffer spanning ${violation.expected} pages`;
    case 'grant-domid':
      return `buffer ${violation.buffer}: grant ${violation.ref} names domid ${violation.domid}, the device's backend is ${violation.expected}`;
    case 'grant-frame':
      return `buffer ${violation.buffer}: grant ${violation.ref} grants frame ${violation.frame}, expected ${violation.expected}`;
    case 'grant-access':
      return `buffer ${violation.buffer}: grant ${violation.ref} is ${violation.readonly ? 'read-only' : 'writable'}, expected ${violation.expectedReadonly ? 'read-only' : 'writable'}`;
    case 'grant-refs-not-consecutive':
      return `buffer ${violation.buffer}: grant references ${violation.refs.join(', ')} are not consecutive`;
    case 'dma-address':
      return `buffer ${violation.buffer}: DMA address ${violation.address}, expected ${violation.expected}`;
    case 'dma-address-grant':
      return `buffer ${violation.buffer}: its address resolves page ${violation.page} to grant ${violation.ref}, which ${violation.frame === null ? 'the frontend did not create for it' : `grants frame ${violation.frame}`}; the page is frame ${violation.expectedFrame}`;
    case 'reserved-grant-ref':
      return `buffer ${violation.buffer}: grant reference ${violation.ref} is one of the ${GNTTAB_NR_RESERVED_ENTRIES} reserved entries`;
    case 'shared-grant-ref':
      return `grant reference ${violation.ref} is used by buffers ${violation.buffers[0]} and ${violation.buffers[1]} at the same time`;
    case 'rid-arithmetic':
      return `device ${violation.deviceId}: grants to ${violation.domid}, the iommu-map gives ${String(violation.expected)}`;
  }
}
