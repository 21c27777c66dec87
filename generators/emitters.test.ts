import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.ts';
import { emitters, requirementsForGeneration } from './emitters.ts';

describe('emitters', () => {
  it('run every job once: codecs, arbitraries, C headers, docs, requirements, schema types, mechanisms, the report script, command docs, the error catalogue', async () => {
    expect((await emitters()).map((emitter) => emitter.name)).toEqual(['typescript', 'arbitraries', 'c-headers', 'docs', 'requirements', 'schema-types', 'mechanisms', 'report-script', 'commands', 'errors-doc']);
  });

  it('know the requirement ids of the catalogue, for checking layouts that name one', async () => {
    const ids = await requirementsForGeneration(packageRoot);
    expect(ids?.has('PCI-DEV-09')).toBe(true);
    expect(ids?.has('PCI-DEV-9999')).toBe(false);
  });
});
