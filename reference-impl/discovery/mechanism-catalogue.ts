/**
 * spec/mechanisms.yaml, loaded once through the generator's validating loader, so that the discovery
 * registry takes every mechanism id and writer from the spec rather than from code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMechanisms, type Mechanism } from '../../generators/load/mechanisms.ts';

/** The mechanisms file could not be loaded; a spec error, not a runtime input problem. */
export class MechanismCatalogueError extends Error {
  readonly code = 'mechanism-catalogue';
  constructor(readonly problems: string[]) {
    super(`spec/mechanisms.yaml is unusable: ${problems.join('; ')}`);
    this.name = 'MechanismCatalogueError';
  }
}

const mechanismsFile = join(dirname(fileURLToPath(import.meta.url)), '../../spec/mechanisms.yaml');
let cached: Mechanism[] | undefined;

/** Every mechanism of spec/mechanisms.yaml, in file order. Throws MechanismCatalogueError on a broken spec. */
export function mechanismCatalogue(): Mechanism[] {
  if (!cached) {
    const { mechanisms, problems } = loadMechanisms(mechanismsFile);
    if (problems.length > 0 || mechanisms.length === 0) throw new MechanismCatalogueError(problems.map((problem) => problem.message));
    cached = mechanisms;
  }
  return cached;
}

/** The catalogue entry of mechanism `id`. Throws MechanismCatalogueError when the spec lacks it. */
export function mechanismEntry(id: string): Mechanism {
  const entry = mechanismCatalogue().find((candidate) => candidate.id === id);
  if (!entry) throw new MechanismCatalogueError([`no mechanism '${id}'`]);
  return entry;
}
