/**
 * Loads the requirement catalogue (spec/requirements/*.yaml): validates every file against
 * requirement.schema.json, then checks what a schema cannot see — ids unique across all files and
 * `since`/`until` naming versions that spec/versions.yaml lists for the file's family.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { SourcePosition } from '../../core/source-position.ts';

/** Absolute path of the JSON Schema every requirement file must match. */
export const requirementSchemaFile: string = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../spec/schema/requirement.schema.json',
);

/** Absolute path of the JSON Schema of spec/versions.yaml. */
export const versionsSchemaFile: string = join(dirname(fileURLToPath(import.meta.url)), '../../spec/schema/versions.schema.json');

/**
 * What the loader itself reads of one entry of a requirement file; every other field is carried on
 * as the schema validated it. The shape is defined once, by requirement.schema.json: the catalogue's
 * type is generated from it (generated/ts/schema/requirement.ts, which the generator, a layer above
 * generated/, may not import), and the emitted data is type-checked against that type.
 */
export interface RequirementEntry {
  readonly id: string;
  readonly since?: string;
  readonly until?: string;
  readonly conditions?: { readonly negotiated?: readonly string[]; readonly notNegotiated?: readonly string[] };
  readonly [field: string]: unknown;
}

/** One requirement with the `document` and `spec` of the file that defines it and where it is written. */
export type Requirement = RequirementEntry & {
  readonly document: string;
  readonly spec: string;
  readonly at: SourcePosition;
};

/** Result of loading: requirements in file order, and every problem found (empty when valid). */
export interface RequirementCatalogue {
  requirements: Requirement[];
  problems: SpecProblem[];
}

/** The fields of a requirement file the loader reads. */
interface RawFile {
  document: string;
  spec: string;
  requirements: RequirementEntry[];
}

/** Lists the `.yaml` files directly in `dir`, sorted so that ids and diagnostics come out in a stable order. */
function listCatalogueFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => entry.endsWith('.yaml') || entry.endsWith('.yml'))
    .sort()
    .map((entry) => join(dir, entry));
}

/** Optional cross-checks against the rest of the spec. */
export interface RequirementCheckOptions {
  /**
   * Feature names a condition may use, spelled `VIRTIO_F_<flag>` for each flag of the layouts'
   * `virtio_features` flag set. When given, any other name in `conditions` is an unknownReference.
   */
  knownFeatures?: ReadonlySet<string>;
}

/**
 * Loads every requirement file in `dir` (not recursive: one file per source document).
 * `versions` maps each spec family to its known versions. Never throws on bad input: an unreadable
 * directory, a syntax error or a schema violation is a located problem.
 */
export function loadRequirements(
  dir: string,
  versions: Map<string, string[]>,
  options: RequirementCheckOptions = {},
): RequirementCatalogue {
  let files: string[];
  try {
    files = listCatalogueFiles(dir);
  } catch (error) {
    return { requirements: [], problems: [specProblem('readFailure', { file: dir, line: 1, column: 1 }, [], String(error))] };
  }
  const loaded: LocatedYaml[] = [];
  const problems: SpecProblem[] = [];
  for (const file of files) {
    const parsed = readLocatedYaml(file);
    if (parsed.ok) loaded.push(parsed.yaml);
    else problems.push(...parsed.problems);
  }
  const result = resolveRequirements(loaded, versions, options);
  return { requirements: result.requirements, problems: [...problems, ...result.problems] };
}

/**
 * Validates already-parsed requirement files and resolves them into {@link Requirement}s. Split from
 * {@link loadRequirements} so that tests and tools can check YAML text that is not on disk.
 */
export function resolveRequirements(
  files: readonly LocatedYaml[],
  versions: Map<string, string[]>,
  options: RequirementCheckOptions = {},
): RequirementCatalogue {
  const validate = compileSchemaFile(requirementSchemaFile);
  const requirements: Requirement[] = [];
  const problems: SpecProblem[] = [];
  const seen = new Map<string, SourcePosition>();
  for (const yaml of files) {
    const schemaProblems = validateLocated(yaml, validate);
    if (schemaProblems.length > 0) {
      // A file that breaks the schema is not resolved further: its shape cannot be trusted.
      problems.push(...schemaProblems);
      continue;
    }
    const file = yaml.data as RawFile;
    const family = versions.get(file.spec);
    if (!family) {
      problems.push(
        specProblem('unknownSpecFamily', yaml.positionOf(['spec']), ['spec'], `spec family '${file.spec}' is not listed in spec/versions.yaml`),
      );
    }
    file.requirements.forEach((raw, index) => {
      const at = yaml.positionOf(['requirements', index]);
      for (const key of ['since', 'until'] as const) {
        const version = raw[key];
        if (version !== undefined && family && !family.includes(version)) {
          const path = ['requirements', index, key];
          problems.push(
            specProblem('unknownVersion', yaml.positionOf(path), path, `${raw.id} ${key}: '${version}' is not a known ${file.spec} version (known: ${family.join(', ')})`),
          );
        }
      }
      if (family && raw.since !== undefined && raw.until !== undefined && family.indexOf(raw.since) > family.indexOf(raw.until)) {
        const path = ['requirements', index, 'until'];
        problems.push(specProblem('schemaViolation', yaml.positionOf(path), path, `${raw.id}: until '${raw.until}' comes before since '${raw.since}'`));
      }
      if (options.knownFeatures) {
        for (const key of ['negotiated', 'notNegotiated'] as const) {
          raw.conditions?.[key]?.forEach((feature, position) => {
            if (options.knownFeatures?.has(feature)) return;
            const path = ['requirements', index, 'conditions', key, position];
            problems.push(specProblem('unknownReference', yaml.positionOf(path), path, `${raw.id}: unknown feature '${feature}' in conditions.${key}`));
          });
        }
      }
      const previous = seen.get(raw.id);
      if (previous) {
        const path = ['requirements', index, 'id'];
        problems.push(
          specProblem('duplicateName', yaml.positionOf(path), path, `requirement id '${raw.id}' is already defined at ${previous.file}:${previous.line}:${previous.column}`),
        );
        return;
      }
      seen.set(raw.id, at);
      requirements.push({ ...raw, document: file.document, spec: file.spec, at });
    });
  }
  return { requirements, problems };
}

/**
 * Reads spec/versions.yaml into the family → versions map the loaders take. Problems (unreadable
 * file, bad YAML) come back as data; the map is then empty.
 */
export function loadSpecVersions(file: string): { versions: Map<string, string[]>; problems: SpecProblem[] } {
  const parsed = readLocatedYaml(file);
  if (!parsed.ok) return { versions: new Map(), problems: parsed.problems };
  const schemaProblems = validateLocated(parsed.yaml, compileSchemaFile(versionsSchemaFile));
  if (schemaProblems.length > 0) return { versions: new Map(), problems: schemaProblems };
  const versions = new Map<string, string[]>();
  const families = (parsed.yaml.data as { families?: Record<string, { versions?: unknown }> } | null)?.families ?? {};
  for (const [family, entry] of Object.entries(families)) {
    if (Array.isArray(entry?.versions)) versions.set(family, entry.versions.map(String));
  }
  return { versions, problems: [] };
}
