/**
 * The requirement catalogue as conformance tests see it at collection time: every id, with what the
 * YAML says about it. Loaded once per worker, from generated/ts/requirements.ts when that module is
 * newer than every spec/requirements YAML file (fast: plain data), otherwise straight from the YAML
 * with the generator's loader — so an id just added to the YAML is usable before `npm run generate`,
 * and a stale generated module can never reject a valid id.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requirementSource } from '../../generators/emit/requirements.ts';
import { loadRequirements, loadSpecVersions, type Requirement } from '../../generators/load/requirements.ts';
import { SpecLoadError } from '../../generators/load/spec-error.ts';

/**
 * A requirement id as written in a test. Plain `string` until generated/ts/requirements.ts is
 * committed; then it can become that module's `RequirementId` union so unknown ids fail to compile too.
 */
export type RequirementId = string;

/** One catalogued requirement: the YAML fields plus `source` (`spec/requirements/x.yaml:line:column`). */
export type CatalogueRequirement = Omit<Requirement, 'at'> & { readonly source: string };

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const requirementsDir = join(repoRoot, 'spec/requirements');
const generatedModule = join(repoRoot, 'generated/ts/requirements.ts');

/** Whether the generated module exists and was written after the last change to any YAML file. */
function generatedIsCurrent(): boolean {
  try {
    if (!existsSync(generatedModule)) return false;
    const generatedAt = statSync(generatedModule).mtimeMs;
    return readdirSync(requirementsDir).every((entry) => statSync(join(requirementsDir, entry)).mtimeMs <= generatedAt);
  } catch {
    return false;
  }
}

async function loadGenerated(): Promise<CatalogueRequirement[] | undefined> {
  if (!generatedIsCurrent()) return undefined;
  try {
    const module = (await import(/* @vite-ignore */ pathToFileURL(generatedModule).href)) as {
      requirements?: readonly CatalogueRequirement[];
    };
    return module.requirements ? [...module.requirements] : undefined;
  } catch {
    // A generated module that does not load is no worse than none: fall back to the YAML.
    return undefined;
  }
}

function loadFromYaml(): CatalogueRequirement[] {
  const { versions, problems: versionProblems } = loadSpecVersions(join(repoRoot, 'spec/versions.yaml'));
  const { requirements, problems } = loadRequirements(requirementsDir, versions);
  if (versionProblems.length + problems.length > 0) throw new SpecLoadError([...versionProblems, ...problems]);
  return requirements.map((requirement) => {
    const { at, ...fields } = requirement;
    void at;
    return { ...fields, source: requirementSource(requirement) };
  });
}

const preloaded = await loadGenerated();
let cached: ReadonlyMap<string, CatalogueRequirement> | undefined;

/**
 * Returns the catalogue keyed by id. Throws {@link SpecLoadError} when the YAML catalogue has
 * problems: a test run against a broken catalogue would report nonsense coverage.
 */
export function requirementCatalogue(): ReadonlyMap<string, CatalogueRequirement> {
  cached ??= new Map((preloaded ?? loadFromYaml()).map((requirement) => [requirement.id, requirement]));
  return cached;
}

/** Whether `id` names a catalogued requirement. */
export function isKnownRequirement(id: string): boolean {
  return requirementCatalogue().has(id);
}

/** Where the catalogue was read from in this worker, for diagnostics. */
export function catalogueOrigin(): 'generated' | 'yaml' {
  return preloaded ? 'generated' : 'yaml';
}
