/**
 * The frontend properties: each one invariant of invariants.ts, the requirement ids it judges (as
 * spec/requirements/xen-invariants.yaml and the frontend-suite entries of the other catalogues define
 * them), the case generator of arbitraries.ts, and what it needs a frontend to answer. Shared by the
 * frontend suite, the mechanism matrix, `xvc replay` and the benchmark.
 */
import type fc from 'fast-check';
import {
  capabilityWalkCaseArbitrary,
  dtCellCaseArbitrary,
  failClosedCaseArbitrary,
  grantDmaCellsCaseArbitrary,
  malformedReferenceCaseArbitrary,
  mapCaseArbitrary,
  platformAccessCaseArbitrary,
  platformCaseArbitrary,
  ridCaseArbitrary,
  selfGrantCaseArbitrary,
  trustedSourceCaseArbitrary,
  unknownFeaturesCaseArbitrary,
  vendorDataCaseArbitrary,
} from './arbitraries.ts';
import {
  checkDom0Fallback,
  checkFailClosed,
  checkGrantScope,
  checkMalformedSource,
  checkNoSelfGrant,
  checkNoTruncation,
  checkPlatformAccess,
  checkRidArithmetic,
  checkSameDecisions,
  checkToolstackAssignment,
  checkTrustedSource,
  checkValidDomid,
  type CaseAnswers,
  type FrontendCase,
  type Violation,
} from './invariants.ts';
import type { RequirementId } from '../../generated/ts/requirements.ts';

/** Ids of the frontend properties. */
export type FrontendPropertyId =
  | 'trusted-source'
  | 'vendor-data-ignored'
  | 'toolstack-assignment'
  | 'dom0-fallback'
  | 'no-self-grant'
  | 'valid-domid'
  | 'no-truncation'
  | 'malformed-device-tree'
  | 'grant-dma-cells'
  | 'fail-closed'
  | 'platform-access'
  | 'grant-domid'
  | 'grant-readonly'
  | 'grant-dma-address'
  | 'grant-refs'
  | 'grant-frames'
  | 'rid-arithmetic'
  | 'capability-walk'
  | 'unknown-features';

/** One property of the frontend suite. */
export interface FrontendProperty {
  id: FrontendPropertyId;
  /** Requirement ids the property's test carries. */
  requirements: RequirementId[];
  /** Test title after the ids. */
  title: string;
  /** The invariant. */
  check(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined;
  /** Generated cases. */
  cases: fc.Arbitrary<FrontendCase>;
}

/** Every frontend property, in report order. */
export const frontendProperties: readonly FrontendProperty[] = [
  { id: 'trusted-source', requirements: ['XEN-INV-01'], title: 'the backend domid does not change with backend-controlled bytes', check: checkTrustedSource, cases: trustedSourceCaseArbitrary },
  { id: 'vendor-data-ignored', requirements: ['PCI-DRV-21'], title: 'a vendor data capability never changes the grant decision', check: checkTrustedSource, cases: vendorDataCaseArbitrary },
  { id: 'toolstack-assignment', requirements: ['XEN-INV-12'], title: 'a device described by a trusted channel gets exactly the toolstack assignment', check: checkToolstackAssignment, cases: platformCaseArbitrary },
  { id: 'dom0-fallback', requirements: ['XEN-INV-02'], title: 'the initial domain never falls back to itself as backend', check: checkDom0Fallback, cases: selfGrantCaseArbitrary },
  { id: 'no-self-grant', requirements: ['XEN-INV-03'], title: 'never grants to its own domid', check: checkNoSelfGrant, cases: selfGrantCaseArbitrary },
  { id: 'valid-domid', requirements: ['XEN-INV-06'], title: 'never grants to a domid at or above DOMID_FIRST_RESERVED', check: checkValidDomid, cases: dtCellCaseArbitrary },
  { id: 'no-truncation', requirements: ['XEN-INV-13'], title: 'a 32-bit device-tree cell is never truncated into a grant', check: checkNoTruncation, cases: dtCellCaseArbitrary },
  { id: 'malformed-device-tree', requirements: ['XEN-INV-05'], title: 'a device-tree reference that does not lead to a xen,grant-dma specifier means no grants', check: checkMalformedSource, cases: malformedReferenceCaseArbitrary },
  { id: 'grant-dma-cells', requirements: ['XEN-INV-07'], title: 'a xen,grant-dma node whose #iommu-cells is not 1 means no grants, on the MMIO and the PCI path', check: checkMalformedSource, cases: grantDmaCellsCaseArbitrary },
  { id: 'fail-closed', requirements: ['XEN-INV-14'], title: 'a malformed or unwalkable trusted source ends in no grants or refusal, never a guess or a crash', check: checkFailClosed, cases: failClosedCaseArbitrary },
  { id: 'platform-access', requirements: ['XEN-INV-04', 'VIRTIO-DRV-14'], title: 'grants only to devices offering VERSION_1 and ACCESS_PLATFORM', check: checkPlatformAccess, cases: platformAccessCaseArbitrary },
  { id: 'grant-domid', requirements: ['XEN-INV-15'], title: "every grant names the device's backend domid", check: (testCase, answers) => checkGrantScope('domid', testCase, answers), cases: mapCaseArbitrary },
  { id: 'grant-readonly', requirements: ['XEN-INV-16'], title: 'buffers the device only reads are granted read-only', check: (testCase, answers) => checkGrantScope('access', testCase, answers), cases: mapCaseArbitrary },
  { id: 'grant-dma-address', requirements: ['XEN-INV-18'], title: "the grant DMA address leads the backend to the buffer's own frames, with the page offset of a streaming mapping and none for a coherent one", check: (testCase, answers) => checkGrantScope('address', testCase, answers), cases: mapCaseArbitrary },
  { id: 'grant-refs', requirements: ['XEN-INV-20', 'XEN-INV-21'], title: 'grant references avoid the reserved entries and are never shared by two buffers in flight', check: (testCase, answers) => checkGrantScope('refs', testCase, answers), cases: mapCaseArbitrary },
  { id: 'grant-frames', requirements: ['XEN-INV-22'], title: "every grant names its page's own frame, never a truncated one", check: (testCase, answers) => checkGrantScope('frames', testCase, answers), cases: mapCaseArbitrary },
  { id: 'capability-walk', requirements: ['XEN-INV-10', 'PCI-DRV-07', 'PCI-DRV-08', 'PCI-DRV-09', 'PCI-DRV-10', 'PCI-DRV-11'], title: 'capabilities the walk skips, later duplicates, longer cap_len and looping lists never change the decision', check: checkSameDecisions, cases: capabilityWalkCaseArbitrary },
  { id: 'unknown-features', requirements: ['VIRTIO-DRV-05'], title: 'offered feature bits the driver does not know never change the decision', check: checkSameDecisions, cases: unknownFeaturesCaseArbitrary },
  { id: 'rid-arithmetic', requirements: ['XEN-INV-08', 'XEN-INV-19'], title: "iommu-map lookup uses the function's own masked requester id", check: checkRidArithmetic, cases: ridCaseArbitrary },
];

/** The property with id `id`, if any. */
export function frontendPropertyById(id: string): FrontendProperty | undefined {
  return frontendProperties.find((property) => property.id === id);
}
