/**
 * Copies the normative statement a verdict rests on (title, level, side, reference and the
 * statement's text) from the catalogue into a record, so every report can cite it.
 */
import { isRequirementId, requirementById } from '../generated/ts/requirements.ts';
import type { ResultRecord } from './result-model.ts';

/** The record with title/level/side/ref/statement filled from the catalogue where it does not have them. */
export function withRequirementInfo(record: ResultRecord): ResultRecord {
  if (!isRequirementId(record.requirement)) return record;
  const requirement = requirementById.get(record.requirement);
  if (!requirement) return record;
  return {
    ...record,
    title: record.title ?? requirement.title,
    level: record.level ?? requirement.level,
    side: record.side ?? requirement.side,
    ref: record.ref ?? requirement.ref,
    statement: record.statement ?? requirement.text,
  };
}
