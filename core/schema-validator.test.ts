import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLocatedYaml } from './located-yaml.ts';
import { compileSchemaFile, createStrictAjv, validateLocated } from './schema-validator.ts';

const scratch = mkdtempSync(join(tmpdir(), 'xvc-schema-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    mode: { enum: ['fast', 'slow'] },
    items: { type: 'array', items: { type: 'integer' } },
  },
};
const schemaFile = join(scratch, 'demo.schema.json');
writeFileSync(schemaFile, JSON.stringify(schema));

function problemsOf(text: string) {
  const parsed = parseLocatedYaml(text, 'demo.yaml');
  if (!parsed.ok) throw new Error('the test YAML must parse');
  return validateLocated(parsed.yaml, compileSchemaFile(schemaFile)).map((problem) => `${problem.line}:${problem.column} ${problem.code} ${problem.message}`);
}

describe('schema validation', () => {
  it('accepts a document that matches', () => {
    expect(problemsOf('name: x\nmode: fast\nitems: [1, 2]\n')).toEqual([]);
  });

  it('reports every violation where it is written: a key, an unknown key, an element', () => {
    expect(problemsOf('name: x\nmode: medium\nitems:\n  - 1\n  - two\ncolour: red\n').sort()).toEqual([
      '2:1 XVC1002 /mode: must be one of ["fast","slow"]',
      '5:5 XVC1002 /items/1: must be integer',
      "6:1 XVC1002 file: unknown property 'colour'",
    ]);
  });

  it('reports a missing required key at the mapping that lacks it', () => {
    expect(problemsOf('mode: fast\n')).toEqual(["1:1 XVC1002 file: must have required property 'name'"]);
  });

  it('compiles each schema file once', () => {
    expect(compileSchemaFile(schemaFile)).toBe(compileSchemaFile(schemaFile));
  });

  it('refuses a schema a lax validator would accept silently', () => {
    expect(() => createStrictAjv().compile({ type: 'object', properties: { a: { type: 'string', minimun: 2 } } })).toThrow(/unknown keyword/);
  });
});
