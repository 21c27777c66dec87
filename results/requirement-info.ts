/** Copies a requirement's title, level, side and reference from the catalogue into a record. */
import { isRequirementId, requirementById } from '../generated/ts/requirements.ts';
import type { ResultRecord } from './result-model.ts';

/** The record with title/level/side/ref filled from the catalogue where it does not have them. */
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
  };
}
