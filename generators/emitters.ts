/**
 * The list of emitters `npm run generate` runs, in order. Each emitter has one job and lives in
 * generators/emit/.
 */
import { join } from 'node:path';
import type { AsyncEmitter, Emitter } from './model/spec-model.ts';
import { typescriptEmitter } from './emit/typescript.ts';
import { requirementsEmitter } from './emit/requirements.ts';
import { schemaTypesEmitter } from './emit/schema-types.ts';
import { mechanismsEmitter } from './emit/mechanisms.ts';
import { arbitrariesEmitter } from './emit/arbitraries.ts';
import { cHeadersEmitter } from './emit/c-headers.ts';
import { docsEmitter } from './emit/docs.ts';
import { reportScriptEmitter } from './emit/report-script.ts';
import { commandsEmitter } from './emit/commands.ts';
import { errorsDocEmitter } from './emit/errors-doc.ts';
import { loadRequirements } from './load/requirements.ts';
import { loadVersions } from './load/spec.ts';

/** Every emitter, in the order their output is produced. */
export async function emitters(): Promise<(Emitter | AsyncEmitter)[]> {
  return [
    typescriptEmitter,
    arbitrariesEmitter,
    cHeadersEmitter,
    docsEmitter,
    requirementsEmitter,
    schemaTypesEmitter,
    mechanismsEmitter,
    reportScriptEmitter,
    commandsEmitter,
    errorsDocEmitter,
  ];
}

/**
 * Requirement ids known to the catalogue, used to check `requirement:` references in layouts.
 * Undefined when the catalogue itself has problems (the requirements emitter reports those).
 */
export async function requirementsForGeneration(root: string): Promise<Set<string> | undefined> {
  const { versions } = loadVersions(join(root, 'spec'), root);
  const catalogue = loadRequirements(join(root, 'spec', 'requirements'), versions);
  if (catalogue.problems.length > 0) return undefined;
  return new Set(catalogue.requirements.map((requirement) => requirement.id));
}
