/**
 * The mechanism × property matrix of one frontend target, computed from its own answers: every
 * mechanism of spec/mechanisms.yaml the target declares (the `mechanisms` of its start answer, or what
 * a built-in frontend reads) is published alone, hostile and malformed, and together with another
 * declared trusted source that disagrees, and each property of the matrix judges what the target
 * decided; every mechanism it does not declare is published too, and the target must ignore it.
 * A mechanism that only reuses a declared one's format (`sameFormatAs`) counts as declared.
 */
import { diagnostics } from '../../core/diagnostics.ts';
import type fc from 'fast-check';
import { mechanisms as catalogue, type MechanismId, type MechanismRecord } from '../../generated/ts/mechanisms.ts';
import type { RequirementId } from '../../generated/ts/requirements.ts';
import type { DiscoveryMechanism } from '../../reference-impl/discovery/index.ts';
import type { FrontendTarget } from '../../targets/frontend-target.ts';
import { checkFailClosed, checkSameDecisions, type CaseAnswers, type FrontendCase, type Violation } from '../frontend/invariants.ts';
import { supportedTransports } from '../frontend/mechanism-transports.ts';
import type { FrontendProperty } from '../frontend/properties.ts';
import { runPropertyOnTarget, type RunSettings } from '../frontend/run-property.ts';
import { disagreementPartners, mechanismDisagreementCases, mechanismIgnoredCases } from './arbitraries.ts';
import { discoveryMechanism, mechanismProperties, sharedMechanismCases, type CellRun } from './matrix.ts';

/** A column of a target's matrix. */
export interface TargetMatrixColumn {
  id: string;
  title: string;
  /** Requirement ids a cell of this column judges for `mechanism`. */
  requirements(mechanism: MechanismRecord): RequirementId[];
  check(testCase: FrontendCase, answers: CaseAnswers): Violation | undefined;
  /** Cases for `mechanism` on a target declaring `declared`, or why the cell does not apply. */
  cases(mechanism: DiscoveryMechanism, declared: readonly DiscoveryMechanism[]): fc.Arbitrary<FrontendCase> | { inapplicable: string };
  /** Judged on declared mechanisms (true) or on the others (false). */
  declared: boolean;
}

/** Whether a target declaring `declared` reads `mechanism`: by id, or through the format it reuses. */
export function declares(declared: readonly string[], mechanism: Pick<MechanismRecord, 'id' | 'sameFormatAs'>): boolean {
  return declared.includes(mechanism.id) || (mechanism.sameFormatAs !== undefined && declared.includes(mechanism.sameFormatAs));
}

/** The columns: the matrix's own, two-source disagreement, and ignoring what is not declared. */
export const targetMatrixColumns: readonly TargetMatrixColumn[] = [
  ...mechanismProperties.map(
    (property): TargetMatrixColumn => ({
      id: property.id,
      title: property.title,
      requirements: property.requirements,
      check: property.check,
      cases: (mechanism) => (property.appliesTo && !property.appliesTo(mechanism.entry) ? { inapplicable: `${property.id} concerns other mechanisms` } : property.cases(mechanism)),
      declared: true,
    }),
  ),
  {
    id: 'disagreeing-sources',
    title: 'two declared trusted sources that disagree mean no grants or refusal',
    requirements: () => ['XEN-INV-14'],
    check: checkFailClosed,
    cases(mechanism, declared) {
      if (!mechanism.entry.trusted || mechanism.entry.writer === 'constant') return { inapplicable: `${mechanism.id} is not a trusted source that discovers a domid` };
      const partners = disagreementPartners(mechanism, declared);
      return partners.length > 0 ? mechanismDisagreementCases(mechanism, partners) : { inapplicable: 'the target declares no other trusted source that describes the same devices' };
    },
    declared: true,
  },
  {
    id: 'ignores-undeclared',
    title: 'a mechanism the target does not declare changes none of its decisions',
    requirements: (mechanism) => (mechanism.writer === 'backend' ? ['XEN-INV-23', 'XEN-INV-01'] : ['XEN-INV-23']),
    check: checkSameDecisions,
    cases: (mechanism) => sharedMechanismCases(mechanismIgnoredCases, mechanism),
    declared: false,
  },
];

/** One cell a target's matrix has. */
export interface TargetMatrixCell {
  mechanism: MechanismId;
  property: string;
  requirements: RequirementId[];
  /** The target declares the mechanism (or one whose format it reuses). */
  declared: boolean;
}

/** Why a cell cannot be run on any target, or undefined. */
function cellInapplicable(mechanism: DiscoveryMechanism, column: TargetMatrixColumn, declared: readonly DiscoveryMechanism[]): string | undefined {
  if (!mechanism.modelled || supportedTransports(mechanism).length === 0) return `xvc does not model the ${mechanism.id} channel`;
  const cases = column.cases(mechanism, declared);
  return 'inapplicable' in cases ? cases.inapplicable : undefined;
}

function declaredMechanisms(declared: readonly string[]): DiscoveryMechanism[] {
  return catalogue.filter((entry) => declares(declared, entry)).map((entry) => discoveryMechanism(entry.id)!);
}

/**
 * A cell's arbitrary, built once per (column, mechanism, declared sources): every target declaring
 * the same mechanisms is then judged on the same generated cases (see generatedCases).
 */
const cellArbitraries = new Map<string, fc.Arbitrary<FrontendCase>>();

function cellCases(column: TargetMatrixColumn, mechanism: DiscoveryMechanism, sources: readonly DiscoveryMechanism[]): fc.Arbitrary<FrontendCase> {
  const key = [column.id, mechanism.id, ...sources.map((source) => source.id)].join('\u0000');
  let cases = cellArbitraries.get(key);
  if (cases === undefined) {
    cases = column.cases(mechanism, sources) as fc.Arbitrary<FrontendCase>;
    cellArbitraries.set(key, cases);
  }
  return cases;
}

/**
 * The cells a target declaring `declared` has: every declared mechanism against every column that
 * applies to it, every other mechanism against `ignores-undeclared`. Unknown ids in `declared` are
 * ignored (an adapter may know mechanisms this xvc does not).
 */
export function targetMatrixCells(declared: readonly string[]): TargetMatrixCell[] {
  const sources = declaredMechanisms(declared);
  const cells: TargetMatrixCell[] = [];
  for (const entry of catalogue) {
    const mechanism = discoveryMechanism(entry.id)!;
    const isDeclared = declares(declared, entry);
    for (const column of targetMatrixColumns) {
      if (column.declared !== isDeclared || cellInapplicable(mechanism, column, sources) !== undefined) continue;
      cells.push({ mechanism: entry.id, property: column.id, requirements: column.requirements(entry), declared: isDeclared });
    }
  }
  return cells;
}

/** Runs one cell of a target's matrix against the target. */
export async function runTargetMechanismCell(
  target: Pick<FrontendTarget, 'decide' | 'map'>,
  declared: readonly string[],
  mechanismId: string,
  propertyId: string,
  settings: RunSettings,
): Promise<CellRun> {
  const mechanism = discoveryMechanism(mechanismId);
  const column = targetMatrixColumns.find((candidate) => candidate.id === propertyId);
  if (!mechanism || !column) return { kind: 'error', code: diagnostics.unknownMatrixCell.code, message: `no cell ${mechanismId} × ${propertyId}` };
  const isDeclared = declares(declared, mechanism.entry);
  if (column.declared !== isDeclared) return { kind: 'inapplicable', reason: isDeclared ? `the target declares ${mechanism.id}` : `the target does not declare ${mechanism.id}` };
  const sources = declaredMechanisms(declared);
  const reason = cellInapplicable(mechanism, column, sources);
  if (reason !== undefined) return { kind: 'inapplicable', reason };
  const cases = cellCases(column, mechanism, sources);
  const property: FrontendProperty = { id: 'trusted-source', requirements: column.requirements(mechanism.entry), title: column.title, check: column.check, cases };
  return runPropertyOnTarget(property, target, settings);
}

/** A computed cell of a target's matrix. */
export interface TargetMatrixResult extends TargetMatrixCell {
  run: CellRun;
}

/** Runs every cell of a target's matrix, one after the other (an adapter answers one request at a time anyway). */
export async function computeTargetMatrix(target: Pick<FrontendTarget, 'decide' | 'map'>, declared: readonly string[], settings: RunSettings): Promise<TargetMatrixResult[]> {
  const results: TargetMatrixResult[] = [];
  for (const cell of targetMatrixCells(declared)) results.push({ ...cell, run: await runTargetMechanismCell(target, declared, cell.mechanism, cell.property, settings) });
  return results;
}
