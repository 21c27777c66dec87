/**
 * Emits `generated/ts/mechanisms.ts`: the discovery mechanisms of spec/mechanisms.yaml as typed data,
 * so that suites and the `mechanisms` command import them instead of parsing YAML at run time.
 */
import { join } from 'node:path';
import type { Emitter, GeneratedFile, SpecModel } from '../model/spec-model.ts';
import { loadMechanisms, type Mechanism } from '../load/mechanisms.ts';
import { SpecLoadError } from '../../core/spec-problem.ts';
import { generatedHeader } from './typescript/module.ts';

/** Path of the emitted module. */
export const mechanismsModulePath = 'generated/ts/mechanisms.ts';

/** Renders the module for an already loaded list of mechanisms. */
export function emitMechanismsModule(all: readonly Mechanism[]): GeneratedFile {
  // Source positions matter while loading, not to the code that uses the data.
  const mechanisms = all.map(({ at: _at, ...mechanism }) => mechanism);
  const ids = mechanisms.map((mechanism) => `'${mechanism.id}'`).join(' | ') || 'never';
  const content = `${generatedHeader('spec/mechanisms.yaml')}
import type { Mechanism } from './schema/mechanism.ts';

/** Id of one discovery mechanism. */
export type MechanismId = ${ids};

/** One discovery mechanism as data (spec/mechanisms.yaml; its type is generated from mechanism.schema.json). */
export type MechanismRecord = Mechanism & { id: MechanismId };

/** Every way a frontend could learn a device's backend domid, with who writes the value. */
export const mechanisms: readonly MechanismRecord[] = ${JSON.stringify(mechanisms, null, 2)} as readonly MechanismRecord[];

/** Mechanisms by id. */
export const mechanismById: ReadonlyMap<MechanismId, MechanismRecord> = new Map(mechanisms.map((mechanism) => [mechanism.id, mechanism]));
`;
  return { path: mechanismsModulePath, content };
}

/** The mechanisms emitter: loads spec/mechanisms.yaml, checking layout names against the spec. */
export const mechanismsEmitter: Emitter = {
  name: 'mechanisms',
  emit(spec: SpecModel): GeneratedFile[] {
    const catalogue = loadMechanisms(join(spec.specDir, 'mechanisms.yaml'), {
      display: 'spec/mechanisms.yaml',
      versions: spec.versions,
      layoutNames: new Set(spec.layouts.keys()),
    });
    if (catalogue.problems.length > 0) throw new SpecLoadError(catalogue.problems);
    return [emitMechanismsModule(catalogue.mechanisms)];
  },
};
