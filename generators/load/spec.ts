import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { SpecModel } from '../model/spec-model.ts';
import { parseLayoutFiles } from './layout-files.ts';
import { resolveLayouts } from './layouts.ts';
import { readLocatedYaml } from '../../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import type { SpecProblem } from '../../core/spec-problem.ts';

/** Options of {@link loadSpec}. */
export interface LoadSpecOptions {
  /** Directory that paths in problems are shown relative to (default: the parent of specDir). */
  repoRoot?: string;
  /** Known requirement ids; when given, `requirement:` references in layouts are checked against it. */
  requirementIds?: ReadonlySet<string>;
}

/** Reads spec/versions.yaml into family → versions. */
export function loadVersions(specDir: string, repoRoot: string): { versions: Map<string, string[]>; problems: SpecProblem[] } {
  const file = join(specDir, 'versions.yaml');
  const parsed = readLocatedYaml(file, relative(repoRoot, file));
  if (!parsed.ok) return { versions: new Map(), problems: parsed.problems };
  const yaml = parsed.yaml;
  const problems = validateLocated(yaml, compileSchemaFile(join(specDir, 'schema', 'versions.schema.json')));
  const versions = new Map<string, string[]>();
  if (problems.length === 0) {
    const families = (yaml.data as { families: Record<string, { versions: string[] }> }).families;
    for (const [family, entry] of Object.entries(families)) versions.set(family, entry.versions);
  }
  return { versions, problems };
}

/**
 * Loads and checks everything under spec/ that code is generated from. Returns the model only when
 * there are no problems; the problems are complete (every file is read even after the first error).
 */
export function loadSpec(specDir = 'spec', options: LoadSpecOptions = {}): { model?: SpecModel; problems: SpecProblem[] } {
  const absolute = resolve(specDir);
  const repoRoot = options.repoRoot ?? resolve(absolute, '..');
  const { versions, problems } = loadVersions(absolute, repoRoot);
  const layoutsDir = join(absolute, 'layouts');
  const parsed = existsSync(layoutsDir)
    ? parseLayoutFiles(layoutsDir, join(absolute, 'schema', 'layout.schema.json'), repoRoot)
    : { files: [], problems: [] };
  problems.push(...parsed.problems);
  const resolved = resolveLayouts(parsed.files, versions, options.requirementIds);
  problems.push(...resolved.problems);
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  if (problems.length > 0) return { problems };
  return {
    model: {
      specDir: absolute,
      versions,
      files: parsed.files,
      layouts: resolved.layouts,
      enums: resolved.enums,
      flagsets: resolved.flagsets,
      constants: resolved.constants,
    },
    problems,
  };
}
