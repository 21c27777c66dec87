/**
 * Loads spec/mechanisms.yaml, the catalogue of backend-domid discovery mechanisms. The JSON Schema
 * checks shape and the writer → trusted rule; this module adds what a schema cannot see: ids unique
 * within the file, layouts that exist, and versions that spec/versions.yaml lists.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { loadSpecVersions } from './requirements.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import type { SourcePosition } from '../../core/source-position.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';

/** Absolute path of the JSON Schema spec/mechanisms.yaml must match. */
export const mechanismSchemaFile: string = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../spec/schema/mechanism.schema.json',
);

/** A release of a document family of spec/versions.yaml, as a mechanism's `since`/`until` names it. */
export interface MechanismVersion {
  readonly family: string;
  readonly version: string;
}

/**
 * What the loader itself reads of one mechanism; every other field is carried on as the schema
 * validated it. The shape is defined once, by mechanism.schema.json: its type is generated from it
 * (generated/ts/schema/mechanism.ts, which the generator, a layer above generated/, may not import),
 * and the emitted data is type-checked against that type.
 */
export interface MechanismEntry {
  readonly id: string;
  /** Layout name (spec/layouts/**) that encodes the value, if any. */
  readonly layout?: string;
  /** Id of the mechanism whose guest-visible format this one reuses, if any. */
  readonly sameFormatAs?: string;
  readonly since?: MechanismVersion;
  readonly until?: MechanismVersion;
  readonly [field: string]: unknown;
}

/** One discovery mechanism, as written in spec/mechanisms.yaml, plus where it was written. */
export type Mechanism = MechanismEntry & { readonly at: SourcePosition };

/** Options of {@link loadMechanisms}. */
export interface LoadMechanismsOptions {
  /** Path shown in problems instead of `file` (e.g. relative to the repository root). */
  display?: string;
  /**
   * Family → versions used to check `since`/`until`. Default: spec/versions.yaml next to the
   * mechanisms file, when it exists; without either, versions are not checked.
   */
  versions?: ReadonlyMap<string, readonly string[]>;
  /** Known layout and union names; when given, every `layout:` must be one of them. */
  layoutNames?: ReadonlySet<string>;
}

/** The mechanisms of a file and every problem found; `mechanisms` is empty when the file is unusable. */
export interface MechanismCatalogue {
  mechanisms: Mechanism[];
  problems: SpecProblem[];
}

/** Reads, validates and checks a mechanisms file. Never throws on bad input: problems are data. */
export function loadMechanisms(file: string, options: LoadMechanismsOptions = {}): MechanismCatalogue {
  const parsed = readLocatedYaml(file, options.display ?? file);
  if (!parsed.ok) return { mechanisms: [], problems: parsed.problems };
  const { versions, problems } = versionsFor(file, options.versions);
  const resolved = resolveMechanisms(parsed.yaml, { ...options, ...(versions && { versions }) });
  return { mechanisms: resolved.mechanisms, problems: [...problems, ...resolved.problems] };
}

/**
 * Validates an already-parsed mechanisms document and resolves it. Split from
 * {@link loadMechanisms} so that tests and tools can check YAML text that is not on disk; versions
 * are checked only when `options.versions` is given.
 */
export function resolveMechanisms(yaml: LocatedYaml, options: LoadMechanismsOptions = {}): MechanismCatalogue {
  const schemaProblems = validateLocated(yaml, compileSchemaFile(mechanismSchemaFile));
  // A file that breaks the schema is not resolved further: its shape cannot be trusted.
  if (schemaProblems.length > 0) return { mechanisms: [], problems: schemaProblems };

  const versions = options.versions;
  const problems: SpecProblem[] = [];
  const raw = (yaml.data as { mechanisms: MechanismEntry[] }).mechanisms;
  const mechanisms: Mechanism[] = [];
  const firstSeen = new Map<string, SourcePosition>();
  raw.forEach((entry, index) => {
    const at = yaml.positionOf(['mechanisms', index]);
    const where = (...rest: (string | number)[]): { position: SourcePosition; path: (string | number)[] } => {
      const path = ['mechanisms', index, ...rest];
      return { position: yaml.positionOf(path), path };
    };

    const earlier = firstSeen.get(entry.id);
    if (earlier) {
      const { position, path } = where('id');
      problems.push(
        specProblem('duplicateName', position, path, `mechanism id '${entry.id}' is already used at line ${earlier.line}`),
      );
    } else {
      firstSeen.set(entry.id, at);
    }

    if (entry.layout !== undefined && options.layoutNames && !options.layoutNames.has(entry.layout)) {
      const { position, path } = where('layout');
      problems.push(specProblem('unknownReference', position, path, `mechanism '${entry.id}' names unknown layout '${entry.layout}'`));
    }

    for (const key of ['since', 'until'] as const) {
      const version = entry[key];
      if (!version || !versions) continue;
      const known = versions.get(version.family);
      if (!known) {
        const { position, path } = where(key, 'family');
        problems.push(specProblem('unknownSpecFamily', position, path, `unknown spec family '${version.family}' (not in spec/versions.yaml)`));
      } else if (!known.includes(version.version)) {
        const { position, path } = where(key, 'version');
        problems.push(
          specProblem('unknownVersion', position, path, `'${version.version}' is not a known ${version.family} version (${known.join(', ')})`),
        );
      }
    }

    const { since, until } = entry;
    const family = since && until && since.family === until.family ? versions?.get(since.family) : undefined;
    if (family && since && until && family.includes(since.version) && family.indexOf(until.version) <= family.indexOf(since.version)) {
      const { position, path } = where('until', 'version');
      problems.push(specProblem('schemaViolation', position, path, `mechanism '${entry.id}': until '${until.version}' is not after since '${since.version}'`));
    }

    mechanisms.push({ ...entry, at });
  });
  raw.forEach((entry, index) => {
    if (entry.sameFormatAs === undefined || firstSeen.has(entry.sameFormatAs)) return;
    const path = ['mechanisms', index, 'sameFormatAs'];
    problems.push(specProblem('unknownReference', yaml.positionOf(path), path, `mechanism '${entry.id}' shares the format of unknown mechanism '${entry.sameFormatAs}'`));
  });
  return { mechanisms, problems };
}

function versionsFor(
  file: string,
  given: ReadonlyMap<string, readonly string[]> | undefined,
): { versions?: ReadonlyMap<string, readonly string[]>; problems: SpecProblem[] } {
  if (given) return { versions: given, problems: [] };
  const beside = join(dirname(file), 'versions.yaml');
  if (!existsSync(beside)) return { problems: [] };
  const loaded = loadSpecVersions(beside);
  return { versions: loaded.versions, problems: [...loaded.problems] };
}
