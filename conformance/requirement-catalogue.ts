/**
 * The requirement catalogue as conformance checks see it: every id with what spec/requirements says
 * about it. It is the module `npm run generate` writes from the YAML (CI fails when that module is
 * stale), so an id is known here exactly when the committed catalogue defines it.
 */
import { isRequirementId, requirementById, type RequirementId, type RequirementRecord } from '../generated/ts/requirements.ts';

export type { RequirementId, RequirementRecord };

/** One catalogued requirement: the YAML fields plus `source` (`spec/requirements/x.yaml:line:column`). */
export type CatalogueRequirement = RequirementRecord;

/** The catalogue keyed by id. */
export function requirementCatalogue(): ReadonlyMap<RequirementId, CatalogueRequirement> {
  return requirementById;
}

/** Whether `id` names a catalogued requirement. */
export function isKnownRequirement(id: string): id is RequirementId {
  return isRequirementId(id);
}
