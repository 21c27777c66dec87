/**
 * Builds the mechanism × property matrix from records that name a `mechanism` and a `property`, with
 * rows and static facts from the mechanism catalogue: xvc's own single-mechanism readers (records of
 * the self-check targets `mechanism:<id>`) fill `cells`; every frontend target's records fill that
 * target's own matrix in `targets`.
 */
import { mechanisms as catalogue } from '../generated/ts/mechanisms.ts';
import { requirementById, isRequirementId } from '../generated/ts/requirements.ts';
import type { TargetMechanismMatrix } from '../generated/ts/schema/results.ts';
import { outcomes, type CounterexampleEvidence, type MatrixCell, type MechanismMatrix, type Outcome, type ResultRecord } from './result-model.ts';

/** Prefix of the self-check targets: xvc's reference policy reading one mechanism only. */
export const SELF_CHECK_TARGET_PREFIX = 'mechanism:';

/** Column of a target's matrix that judges the mechanisms it does not declare. */
const UNDECLARED_COLUMN = 'ignores-undeclared';

/** True for a record of xvc's own single-mechanism readers rather than of a frontend target. */
export function isSelfCheckRecord(record: Pick<ResultRecord, 'target'>): boolean {
  return record.target.startsWith(SELF_CHECK_TARGET_PREFIX);
}

/** Lower is worse: the order reports list outcomes in. */
function severity(outcome: Outcome): number {
  return outcomes.indexOf(outcome);
}

/**
 * One cell per (mechanism, property) seen in the self-check records: the worst outcome over every
 * test that fills it, with the counterexample of that worst record when it has one. `select` picks
 * other records instead (one frontend target's).
 */
export function matrixCells(records: readonly ResultRecord[], select: (record: ResultRecord) => boolean = isSelfCheckRecord): MatrixCell[] {
  const worst = new Map<string, ResultRecord>();
  for (const record of records) {
    if (record.mechanism === undefined || record.property === undefined || !select(record)) continue;
    const key = `${record.mechanism}\u0000${record.property}`;
    const current = worst.get(key);
    if (!current || severity(record.outcome) < severity(current.outcome)) worst.set(key, record);
  }
  return [...worst.values()].map((record) => {
    const counterexample = record.evidence.find((evidence): evidence is CounterexampleEvidence => evidence.kind === 'counterexample');
    return {
      mechanism: record.mechanism as string,
      property: record.property as string,
      outcome: record.outcome,
      target: record.target,
      ...(counterexample !== undefined && { counterexample }),
    };
  });
}

/**
 * Each frontend target's own matrix, in the order targets first appear: its cells, and the mechanisms
 * it is judged as reading (from `declared`, by target spec, when the run knows them; otherwise every
 * mechanism with a cell outside the undeclared column).
 */
export function targetMatrices(records: readonly ResultRecord[], declared: ReadonlyMap<string, readonly string[]> = new Map()): TargetMechanismMatrix[] {
  const targets = [...new Set(records.filter((record) => record.mechanism !== undefined && record.property !== undefined && !isSelfCheckRecord(record)).map((record) => record.target))];
  return targets.map((target) => {
    const cells = matrixCells(records, (record) => record.target === target);
    const inferred = [...new Set(cells.filter((cell) => cell.property !== UNDECLARED_COLUMN).map((cell) => cell.mechanism))];
    return { target, declared: [...(declared.get(target) ?? inferred)], cells };
  });
}

/**
 * The matrix for the records, or undefined when no record fills a cell. `declared` gives, per frontend
 * target spec, the mechanisms it declares (TargetMetadata.mechanisms).
 */
export function buildMechanismMatrix(records: readonly ResultRecord[], declared?: ReadonlyMap<string, readonly string[]>): MechanismMatrix | undefined {
  const cells = matrixCells(records);
  const targets = targetMatrices(records, declared);
  if (cells.length === 0 && targets.length === 0) return undefined;
  const used = new Set([...cells, ...targets.flatMap((target) => target.cells)].map((cell) => cell.mechanism));
  const known = catalogue.filter((mechanism) => used.has(mechanism.id));
  const knownIds = new Set<string>(known.map((mechanism) => mechanism.id));
  const unknown = [...used].filter((id) => !knownIds.has(id));
  const properties = new Map<string, string>();
  for (const record of records) {
    if (record.mechanism !== undefined && record.property !== undefined && !properties.has(record.property)) properties.set(record.property, record.requirement);
  }
  return {
    mechanisms: [
      ...known.map((mechanism) => ({ id: mechanism.id, title: mechanism.title, writer: mechanism.writer, trusted: mechanism.trusted })),
      ...unknown.map((id) => ({ id, title: id, writer: 'unknown', trusted: false })),
    ],
    properties: [...properties].map(([id, requirement]) => {
      const title = isRequirementId(requirement) ? requirementById.get(requirement)?.title : undefined;
      return { id, requirement, ...(title !== undefined && { title }) };
    }),
    cells,
    ...(targets.length > 0 && { targets }),
    static: known.map((mechanism) => ({
      mechanism: mechanism.id,
      facts: [
        { name: 'writer', value: mechanism.writer },
        { name: 'trusted', value: mechanism.trusted ? 'yes' : 'no' },
        { name: 'virtio spec change', value: mechanism.virtioSpecChange ? 'yes' : 'no' },
        { name: 'dependencies', value: mechanism.dependencies.join(', ') || 'none' },
        { name: 'architectures', value: mechanism.architectures.join(', ') },
        { name: 'status', value: mechanism.status },
      ],
    })),
  };
}
