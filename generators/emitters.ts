/**
 * The list of emitters `npm run generate` runs, in order. Each emitter has one job and lives in
 * generators/emit/.
 */
import type { Emitter } from './model/spec-model.ts';
import { typescriptEmitter } from './emit/typescript.ts';

/** Every emitter, in the order their output is produced. */
export async function emitters(): Promise<Emitter[]> {
  return [typescriptEmitter];
}

/** Requirement ids known to the catalogue, used to check `requirement:` references in layouts. */
export async function requirementsForGeneration(root: string): Promise<Set<string> | undefined> {
  void root;
  return undefined;
}
