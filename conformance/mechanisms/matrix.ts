/**
 * The mechanism × property matrix: for every discovery mechanism of spec/mechanisms.yaml, the
 * frontend invariants run with the reference policy reading that mechanism only (dynamic cells, each
 * red one with its shrunk counterexample), plus what the catalogue itself says (static cells: writer,
 * trust, dependencies, architectures, virtio spec change, from generated/ts/mechanisms.ts). Pure: the
 * mechanism suite and `xvc mechanisms` both call it.
 */
import { diagnostics } from '../../core/diagnostics.ts';
import type fc from 'fast-check';
import { mechanisms as catalogue, type MechanismRecord } from '../../generated/ts/mechanisms.ts';
import type { DiscoveryMechanism } from '../../reference-impl/discovery/index.ts';
import { discoveryMechanisms } from '../../reference-impl/discovery/index.ts';
import {
  checkFailClosed,
  checkGrantScope,
  checkNoSelfGrant,
  checkPlatformAccess,
  checkSameDecisions,
  checkToolstackAssignment,
  checkTrustedSource,
  checkValidDomid,
  describeViolation,
  type CaseAnswers,
  type FrontendCase,
  type Violation,
} from '../frontend/invariants.ts';
import type { FrontendProperty } from '../frontend/properties.ts';
import { runPropertyInProcess, type PropertyRun, type RunSettings } from '../frontend/run-property.ts';
import { malformableMechanisms } from './malformed.ts';
import {
  mechanismForeignVendorCases,
  mechanismMalformedCases,
  mechanismMapCases,
  mechanismPlatformCases,
  mechanismPublishedDomidCases,
  mechanismSelfGrantCases,
  mechanismTrustedSourceCases,
  supportedTransports,
} from './arbitraries.ts';
import { mechanismFrontend } from './mechanism-policy.ts';
import type { RequirementId } from '../../generated/ts/requirements.ts';

/** A dynamic column: an invariant run per mechanism. */
export interface MechanismProperty {
  id: string;
  title: string;
  /** Requirement ids a cell of this column judges for `mechanism`. */
  requirements(mechanism: MechanismRecord): RequirementId[];
  check(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined;
  cases(mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase>;
  /** Mechanisms the column judges; the others' cells are inapplicable. Default: all. */
  appliesTo?: (mechanism: MechanismRecord) => boolean;
}

/** A static column: a fact of the catalogue. */
export interface StaticProperty {
  id: string;
  title: string;
  value(mechanism: MechanismRecord): { outcome: 'yes' | 'no' | 'info'; value?: string };
}

const grantAspects = ['domid', 'access', 'address', 'refs', 'frames'] as const;
const checkAllGrantScope = (testCase: FrontendCase, answers: CaseAnswers): Violation | undefined => {
  for (const aspect of grantAspects) {
    const violation = checkGrantScope(aspect, testCase, answers);
    if (violation) return violation;
  }
  return undefined;
};

const builtArbitraries = new WeakMap<(mechanism: DiscoveryMechanism) => fc.Arbitrary<FrontendCase>, Map<string, fc.Arbitrary<FrontendCase>>>();

/**
 * The arbitrary `build` makes for `mechanism`, built once: the mechanism matrix, the columns that
 * share a generator and every frontend target's matrix then judge the same generated cases, which
 * are generated once (see generatedCases).
 */
export function sharedMechanismCases(build: (mechanism: DiscoveryMechanism) => fc.Arbitrary<FrontendCase>, mechanism: DiscoveryMechanism): fc.Arbitrary<FrontendCase> {
  let byMechanism = builtArbitraries.get(build);
  if (byMechanism === undefined) {
    byMechanism = new Map();
    builtArbitraries.set(build, byMechanism);
  }
  let cases = byMechanism.get(mechanism.id);
  if (cases === undefined) {
    cases = build(mechanism);
    byMechanism.set(mechanism.id, cases);
  }
  return cases;
}

/** The dynamic columns, in display order. */
export const mechanismProperties: readonly MechanismProperty[] = [
  {
    id: 'trusted-source',
    title: 'domid independent of backend-controlled bytes',
    // The vendor data column is also XEN-INV-09's test: red by construction when the backend writes it.
    requirements: (mechanism) => (mechanism.id === 'vendor-data-capability' ? ['XEN-INV-01', 'XEN-INV-09'] : ['XEN-INV-01']),
    check: checkTrustedSource,
    cases: (mechanism) => sharedMechanismCases(mechanismTrustedSourceCases, mechanism),
  },
  { id: 'toolstack-assignment', title: 'domid equals the toolstack assignment', requirements: () => ['XEN-INV-12'], check: checkToolstackAssignment, cases: (mechanism) => sharedMechanismCases(mechanismPlatformCases, mechanism) },
  { id: 'no-self-grant', title: 'no grant to the own domid', requirements: () => ['XEN-INV-03'], check: checkNoSelfGrant, cases: (mechanism) => sharedMechanismCases(mechanismSelfGrantCases, mechanism) },
  { id: 'valid-domid', title: 'no reserved domid', requirements: () => ['XEN-INV-06'], check: checkValidDomid, cases: (mechanism) => sharedMechanismCases(mechanismPublishedDomidCases, mechanism) },
  { id: 'platform-access', title: 'grants need VERSION_1 and ACCESS_PLATFORM', requirements: () => ['XEN-INV-04'], check: checkPlatformAccess, cases: (mechanism) => sharedMechanismCases(mechanismPlatformCases, mechanism) },
  {
    id: 'grant-scope',
    title: 'grants name the backend, read-only when read-only, encoded addresses, own references and frames',
    requirements: () => ['XEN-INV-15', 'XEN-INV-16', 'XEN-INV-18', 'XEN-INV-20', 'XEN-INV-21', 'XEN-INV-22'],
    check: checkAllGrantScope,
    cases: (mechanism) => sharedMechanismCases(mechanismMapCases, mechanism),
  },
  {
    id: 'fail-closed',
    title: 'a malformed publication means no grants or refusal',
    requirements: () => ['XEN-INV-14'],
    check: checkFailClosed,
    cases: (mechanism) => sharedMechanismCases(mechanismMalformedCases, mechanism),
    appliesTo: (mechanism) => malformableMechanisms.includes(mechanism.id),
  },
  {
    id: 'foreign-vendor-id',
    title: "another vendor's vendor data changes nothing",
    requirements: () => ['PCI-DRV-22'],
    check: checkSameDecisions,
    cases: (mechanism) => sharedMechanismCases(mechanismForeignVendorCases, mechanism),
    appliesTo: (mechanism) => mechanism.id === 'vendor-data-capability',
  },
];

const yesNo = (flag: boolean) => ({ outcome: flag ? ('yes' as const) : ('no' as const) });

/** The static columns, in display order. */
export const staticProperties: readonly StaticProperty[] = [
  { id: 'writer', title: 'who writes the value', value: (mechanism) => ({ outcome: 'info', value: mechanism.writer }) },
  { id: 'trusted', title: 'writer trusted per the catalogue', value: (mechanism) => yesNo(mechanism.trusted) },
  { id: 'needs-device-tree', title: 'needs a device tree', value: (mechanism) => yesNo(mechanism.dependencies.includes('device-tree')) },
  { id: 'needs-acpi', title: 'needs ACPI', value: (mechanism) => yesNo(mechanism.dependencies.includes('acpi')) },
  { id: 'needs-xenstore', title: 'needs xenstore', value: (mechanism) => yesNo(mechanism.dependencies.includes('xenstore')) },
  { id: 'architectures', title: 'architectures', value: (mechanism) => ({ outcome: 'info', value: mechanism.architectures.join(', ') }) },
  { id: 'virtio-spec-change', title: 'needs a virtio spec change', value: (mechanism) => yesNo(mechanism.virtioSpecChange) },
];

/** Outcome of one cell. */
export type CellOutcome = 'pass' | 'fail' | 'inapplicable' | 'error' | 'yes' | 'no' | 'info';

/** A red cell's evidence. */
export interface CellCounterexample {
  /** The shrunk case (scenario, variant, expectations, request) as JSON. */
  scenario: FrontendCase;
  seed: number;
  path: string;
  violation: Violation;
  message: string;
}

/** One cell of the matrix. */
export interface MatrixCell {
  mechanism: string;
  property: string;
  outcome: CellOutcome;
  /** Requirement ids the cell judges (dynamic cells). */
  requirements?: string[];
  value?: string;
  note?: string;
  counterexample?: CellCounterexample;
}

/** The whole matrix. */
export interface MechanismMatrix {
  seed: number;
  runs: number;
  mechanisms: { id: string; title: string; writer: string; trusted: boolean; status: string }[];
  properties: { id: string; title: string; kind: 'dynamic' | 'static' }[];
  cells: MatrixCell[];
}

/** How one dynamic cell ended: a property run, or why the cell cannot be run. */
export type CellRun = PropertyRun | { kind: 'inapplicable'; reason: string } | { kind: 'static-fail'; reason: string };

/** The mechanism with id `id` from the executable registry. */
export function discoveryMechanism(id: string): DiscoveryMechanism | undefined {
  return (discoveryMechanisms as Readonly<Record<string, DiscoveryMechanism | undefined>>)[id];
}

/** Cells already run in this process, by mechanism, property, seed and runs: a cell is deterministic. */
const cellRuns = new Map<string, CellRun>();

/**
 * Runs one dynamic cell, once per process for the same settings: the mechanism suite and every
 * frontend target's matrix (which asks whether the mechanism itself fails a property) share it.
 */
export function runMechanismCell(mechanismId: string, propertyId: string, settings: RunSettings): CellRun {
  const key = `${mechanismId}\u0000${propertyId}\u0000${settings.seed}\u0000${settings.numRuns}`;
  let run = cellRuns.get(key);
  if (run === undefined) {
    run = runMechanismCellOnce(mechanismId, propertyId, settings);
    cellRuns.set(key, run);
  }
  return run;
}

function runMechanismCellOnce(mechanismId: string, propertyId: string, settings: RunSettings): CellRun {
  const mechanism = discoveryMechanism(mechanismId);
  const property = mechanismProperties.find((candidate) => candidate.id === propertyId);
  if (!mechanism || !property) return { kind: 'error', code: diagnostics.unknownMatrixCell.code, message: `no cell ${mechanismId} × ${propertyId}` };
  if (property.appliesTo && !property.appliesTo(mechanism.entry as MechanismRecord)) return { kind: 'inapplicable', reason: `${property.id} concerns other mechanisms` };
  if (!mechanism.modelled || supportedTransports(mechanism).length === 0) {
    // Not modelled: nothing is published and nothing can be read. A backend-written value still fails
    // trusted source by the catalogue alone; everything else cannot be judged.
    if (property.id === 'trusted-source' && mechanism.entry.writer === 'backend') {
      return { kind: 'static-fail', reason: `writer is the backend, so a hostile backend chooses the value; xvc does not model the ${mechanism.id} channel, so there is no generated counterexample` };
    }
    return { kind: 'inapplicable', reason: `xvc does not model the ${mechanism.id} channel` };
  }
  const asFrontendProperty: FrontendProperty = { id: 'trusted-source', requirements: [], title: property.title, check: property.check, cases: property.cases(mechanism) };
  return runPropertyInProcess(asFrontendProperty, mechanismFrontend(mechanism), settings);
}

/** A cell from its run. */
export function cellOf(mechanism: MechanismRecord, property: MechanismProperty, run: CellRun): MatrixCell {
  const base = { mechanism: mechanism.id, property: property.id, requirements: property.requirements(mechanism) };
  switch (run.kind) {
    case 'pass':
      return { ...base, outcome: 'pass' };
    case 'inapplicable':
      return { ...base, outcome: 'inapplicable', note: run.reason };
    case 'skip':
      return { ...base, outcome: 'inapplicable', note: run.reason };
    case 'static-fail':
      return { ...base, outcome: 'fail', note: run.reason };
    case 'error':
      return { ...base, outcome: 'error', note: `${run.code}: ${run.message}` };
    case 'fail':
      return {
        ...base,
        outcome: 'fail',
        note: describeViolation(run.violation),
        counterexample: { scenario: run.testCase, seed: run.seed, path: run.path, violation: run.violation, message: describeViolation(run.violation) },
      };
  }
}

/** Computes the whole matrix with fast-check seed `seed` and `runs` cases per dynamic cell. */
export function computeMechanismMatrix(options: { seed: number; runs: number }): MechanismMatrix {
  const settings = { seed: options.seed, numRuns: options.runs };
  const cells: MatrixCell[] = [];
  for (const mechanism of catalogue) {
    for (const property of mechanismProperties) cells.push(cellOf(mechanism, property, runMechanismCell(mechanism.id, property.id, settings)));
    for (const property of staticProperties) cells.push({ mechanism: mechanism.id, property: property.id, ...property.value(mechanism) });
  }
  return {
    seed: options.seed,
    runs: options.runs,
    mechanisms: catalogue.map((mechanism) => ({ id: mechanism.id, title: mechanism.title, writer: mechanism.writer, trusted: mechanism.trusted, status: mechanism.status })),
    properties: [
      ...mechanismProperties.map((property) => ({ id: property.id, title: property.title, kind: 'dynamic' as const })),
      ...staticProperties.map((property) => ({ id: property.id, title: property.title, kind: 'static' as const })),
    ],
    cells,
  };
}
