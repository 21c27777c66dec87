/**
 * The requirement catalogue as conformance tests see it at collection time: every id, with what the
 * YAML says about it. Read straight from spec/requirements/ with the generator's loader rather than
 * from generated/ts/requirements.ts, so that a requirement added to the YAML can be used by a test
 * at once and a stale generated module can never reject a valid id. Loaded once per worker.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRequirements, loadSpecVersions, type Requirement } from '../../generators/load/requirements.ts';
import { SpecLoadError } from '../../generators/load/spec-error.ts';

/**
 * A requirement id as written in a test. Plain `string` until generated/ts/requirements.ts is
 * committed; then it becomes that module's `RequirementId` union and unknown ids fail to compile too.
 */
export type RequirementId = string;

/** One catalogued requirement (the loader's record: text, level, testability, source position). */
export type CatalogueRequirement = Requirement;

const specDir = join(dirname(fileURLToPath(import.meta.url)), '../../spec');

let cached: ReadonlyMap<string, CatalogueRequirement> | undefined;

/**
 * Loads (once) and returns the catalogue keyed by id. Throws {@link SpecLoadError} when the catalogue
 * itself has problems: a test run against a broken catalogue would report nonsense coverage.
 */
export function requirementCatalogue(): ReadonlyMap<string, CatalogueRequirement> {
  if (cached) return cached;
  const { versions, problems: versionProblems } = loadSpecVersions(join(specDir, 'versions.yaml'));
  const { requirements, problems } = loadRequirements(join(specDir, 'requirements'), versions);
  if (versionProblems.length + problems.length > 0) throw new SpecLoadError([...versionProblems, ...problems]);
  cached = new Map(requirements.map((requirement) => [requirement.id, requirement]));
  return cached;
}

/** Whether `id` names a catalogued requirement. */
export function isKnownRequirement(id: string): boolean {
  return requirementCatalogue().has(id);
}
