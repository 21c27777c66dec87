import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from './package-root.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { precompileSchemas } from './precompile-schemas.ts';
import { compileSchemaFile, createStrictAjv, precompiledValidatorName } from './schema-validator.ts';

const scratch = mkdtempSync(join(tmpdir(), 'xvc-precompile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Compiled validators require ajv's run-time helpers by package name, as they do inside dist/.
symlinkSync(packagePath('node_modules'), join(scratch, 'node_modules'), 'dir');

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 2 }, mode: { enum: ['fast', 'slow'] }, items: { type: 'array', items: { type: 'integer' } } },
};

/** A folder holding one schema file with `text`, under a name no other test uses (compileSchemaFile caches by path). */
function schemaFolder(name: string, text: string): { folder: string; file: string } {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.schema.json`);
  writeFileSync(file, text);
  return { folder, file };
}

const documents: unknown[] = [{ name: 'ok' }, { name: 'ok', mode: 'slow', items: [1, 2] }, {}, { name: 'x' }, { name: 'ok', mode: 'quick' }, { name: 'ok', items: [1, 'two'] }, { name: 1, extra: true }, 'text'];

describe('precompiled schema validators', () => {
  it('give the verdicts and errors of a validator compiled at run time', () => {
    const { folder, file } = schemaFolder('same', JSON.stringify(schema));
    const out = join(scratch, 'same-out');
    expect(precompileSchemas(folder, out)).toHaveLength(1);
    const precompiled = compileSchemaFile(file, out);
    const fresh = createStrictAjv().compile(schema);
    for (const document of documents) {
      expect(precompiled(document), JSON.stringify(document)).toBe(fresh(document));
      expect(precompiled.errors ?? null, JSON.stringify(document)).toEqual(fresh.errors ?? null);
    }
  });

  it('are what compileSchemaFile loads for exactly the schema text they were compiled from', () => {
    const text = JSON.stringify(schema);
    const { file } = schemaFolder('planted', text);
    const out = join(scratch, 'planted-out');
    mkdirSync(out);
    // A module under the name of this text that accepts nothing: seen only if it is the one loaded.
    writeFileSync(join(out, precompiledValidatorName(text)), 'exports.default = function refuse() { return false; };\n');
    expect(compileSchemaFile(file, out)({ name: 'ok' })).toBe(false);
  });

  it('export each $defs entry besides the whole schema, with the verdicts and errors of one compiled at run time', () => {
    const withDefinitions = { ...schema, properties: { ...schema.properties, items: { $ref: '#/$defs/numbers' } }, $defs: { numbers: { type: 'array', items: { type: 'integer', minimum: 0 } } } };
    const { folder, file } = schemaFolder('definitions', JSON.stringify(withDefinitions));
    const out = join(scratch, 'definitions-out');
    precompileSchemas(folder, out);
    const precompiled = compileSchemaFile(file, out, 'numbers');
    const ajv = createStrictAjv();
    ajv.addSchema(withDefinitions, 'definitions');
    const fresh = ajv.getSchema('definitions#/$defs/numbers')!;
    for (const document of [[], [1, 2], [-1], ['one'], 'text', {}]) {
      expect(precompiled(document), JSON.stringify(document)).toBe(fresh(document));
      expect(precompiled.errors ?? null, JSON.stringify(document)).toEqual(fresh.errors ?? null);
    }
    // The build's module is what is loaded: one planted under the text's name refuses everything.
    const planted = join(scratch, 'definitions-planted');
    mkdirSync(planted);
    writeFileSync(join(planted, precompiledValidatorName(JSON.stringify(withDefinitions))), 'exports.numbers = function refuse() { return false; };\n');
    const { file: copy } = schemaFolder('definitions-copy', JSON.stringify(withDefinitions));
    expect(compileSchemaFile(copy, planted, 'numbers')([1])).toBe(false);
    // Without a build, the same definition is compiled at run time; a name the schema lacks is an error.
    expect(compileSchemaFile(file, join(scratch, 'nothing-built'), 'numbers')([1])).toBe(true);
    expect(() => compileSchemaFile(file, out, 'missing')).toThrow(/no \$defs\/missing/);
  });

  it('are never used for another version of the schema', () => {
    const { folder } = schemaFolder('old', JSON.stringify(schema));
    const out = join(scratch, 'old-out');
    precompileSchemas(folder, out);
    // The schema changed after the build: minLength 2 became 5.
    const changed = { ...schema, properties: { ...schema.properties, name: { type: 'string', minLength: 5 } } };
    const { file } = schemaFolder('changed', JSON.stringify(changed));
    expect(readdirSync(out)).not.toContain(precompiledValidatorName(JSON.stringify(changed)));
    expect(compileSchemaFile(file, out)({ name: 'abc' })).toBe(false);
  });

  it('compile every schema of spec/schema that stands alone', () => {
    const out = join(scratch, 'spec-out');
    const written = precompileSchemas(undefined, out);
    expect(written.length).toBeGreaterThanOrEqual(5);
    expect(readdirSync(out).sort()).toEqual(written.map((path) => path.slice(out.length + 1)).sort());
  });
});
