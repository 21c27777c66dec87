/**
 * Builds the mechanism × property matrix from records of the mechanism suite (records that name a
 * `mechanism` and a `property`), with rows and static facts from the mechanism catalogue.
 */
import { mechanisms as catalogue } from '../generated/ts/mechanisms.ts';
import { requirementById, isRequirementId } from '../generated/ts/requirements.ts';
import { outcomes, type CounterexampleEvidence, type MatrixCell, type MechanismMatrix, type Outcome, type ResultRecord } from './result-model.ts';

/** Lower is worse: the order reports list outcomes in. */
function severity(outcome: Outcome): number {
  return outcomes.indexOf(outcome);
}

/**
 * One cell per (mechanism, property) seen in the records: the worst outcome over every target and
 * test that fills it, with the counterexample of that worst record when it has one.
 */
export function matrixCells(records: readonly ResultRecord[]): MatrixCell[] {
  const worst = new Map<string, ResultRecord>();
  for (const record of records) {
    if (record.mechanism === undefined || record.property === undefined) continue;
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

/** The matrix for the records, or undefined when no record belongs to the mechanism suite. */
export function buildMechanismMatrix(records: readonly ResultRecord[]): MechanismMatrix | undefined {
  const cells = matrixCells(records);
  if (cells.length === 0) return undefined;
  const used = new Set(cells.map((cell) => cell.mechanism));
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
