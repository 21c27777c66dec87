import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRequirements, loadSpecVersions, type Requirement } from '../load/requirements.ts';
import { SpecLoadError } from '../../core/spec-problem.ts';
import type { SpecModel } from '../model/spec-model.ts';
import { emitRequirementsModule, requirementSource, requirementsEmitter } from './requirements.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { versions } = loadSpecVersions(join(root, 'spec/versions.yaml'));
const catalogue = loadRequirements(join(root, 'spec/requirements'), versions);

function specModel(specDir: string): SpecModel {
  return { specDir, versions, files: [], layouts: new Map(), enums: new Map(), flagsets: new Map(), constants: new Map() };
}

const sample: Requirement = {
  id: 'XEN-INV-99',
  title: "A title with 'quotes' and a backslash \\",
  ref: 'xvc',
  level: 'MUST NOT',
  side: 'frontend',
  text: 'Text with "double quotes" and a newline\nin it.',
  testable: { reason: 'Only a sample for the emitter test.' },
  document: 'sample',
  spec: 'xen',
  at: { file: '/somewhere/else/spec/requirements/sample.yaml', line: 7, column: 5 },
};

describe('emitRequirementsModule', () => {
  it('writes generated/ts/requirements.ts containing every catalogue id', () => {
    expect(catalogue.problems).toEqual([]);
    const file = emitRequirementsModule(catalogue.requirements);
    expect(file.path).toBe('generated/ts/requirements.ts');
    for (const requirement of catalogue.requirements) {
      expect(file.content).toContain(`| "${requirement.id}"`);
      expect(file.content).toContain(`{"id":"${requirement.id}"`);
    }
  });

  it('is deterministic', () => {
    expect(emitRequirementsModule(catalogue.requirements).content).toBe(emitRequirementsModule(catalogue.requirements).content);
  });

  it('names the YAML source relative to the repository', () => {
    expect(requirementSource(sample)).toBe('spec/requirements/sample.yaml:7:5');
  });

  it('produces a module whose data matches the loaded requirements, escaping included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-emit-req-'));
    const path = join(dir, 'requirements.ts');
    const input = [...catalogue.requirements.slice(0, 3), sample];
    writeFileSync(path, emitRequirementsModule(input).content);
    const module = (await import(pathToFileURL(path).href)) as {
      requirements: { id: string; title: string; text: string; testable: unknown; level: string; source: string }[];
      requirementIds: ReadonlySet<string>;
      isRequirementId: (value: string) => boolean;
    };
    expect(module.requirements.map((requirement) => requirement.id)).toEqual(input.map((requirement) => requirement.id));
    const emittedSample = module.requirements[3];
    expect(emittedSample?.title).toBe(sample.title);
    expect(emittedSample?.text).toBe(sample.text);
    expect(emittedSample?.testable).toEqual(sample.testable);
    expect(emittedSample?.level).toBe('MUST NOT');
    expect(module.requirementIds.has('XEN-INV-99')).toBe(true);
    expect(module.isRequirementId('PCI-DEV-99')).toBe(false);
  });

  it('writes the fields in the order of requirement.schema.json, whatever the order of the YAML', () => {
    const { id, title, ref, level, side, text, testable, document, spec, at } = sample;
    const shuffled: Requirement = { at, spec, document, testable, text, side, level, ref, title, notes: 'n', id };
    const line = emitRequirementsModule([shuffled]).content.split('\n').find((text) => text.startsWith('  {"id":'));
    expect(Object.keys(JSON.parse(line!.trim().replace(/,$/, '')) as object)).toEqual([
      'id',
      'title',
      'ref',
      'level',
      'side',
      'text',
      'testable',
      'notes',
      'document',
      'spec',
      'source',
    ]);
  });

  it('derives the record type from the schema-generated Requirement', () => {
    const content = emitRequirementsModule(catalogue.requirements).content;
    expect(content).toContain("import type { Requirement, RequirementsFile } from './schema/requirement.ts';");
    expect(content).toMatch(/export interface RequirementRecord extends Readonly<Omit<Requirement, 'id'>> \{\n  readonly id: RequirementId;/);
  });

  it('emits a valid module for an empty catalogue', () => {
    expect(emitRequirementsModule([]).content).toContain('export type RequirementId = never;');
  });
});

describe('requirementsEmitter', () => {
  it('loads the catalogue from the spec directory', () => {
    const files = requirementsEmitter.emit(specModel(join(root, 'spec')));
    expect(files.map((file) => file.path)).toEqual(['generated/ts/requirements.ts']);
    expect(files[0]?.content).toContain('"PCI-DEV-53"');
  });

  it('throws SpecLoadError with the problems when the catalogue is broken', () => {
    const specDir = mkdtempSync(join(tmpdir(), 'xvc-emit-spec-'));
    mkdirSync(join(specDir, 'requirements'));
    writeFileSync(join(specDir, 'requirements', 'bad.yaml'), 'document: d\nspec: virtio\nrequirements: []\n');
    expect(() => requirementsEmitter.emit(specModel(specDir))).toThrow(SpecLoadError);
  });
});
