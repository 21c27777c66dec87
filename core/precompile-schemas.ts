/**
 * Compiles xvc's JSON Schemas into standalone validator modules ahead of time (ajv's standalone
 * code): `npm run build` calls {@link precompileSchemas}, and {@link compileSchemaFile} loads the
 * module whose name matches the schema text it reads instead of compiling at every start.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import standalone from 'ajv/dist/standalone/index.js';
import { packagePath } from './package-root.ts';
import { createStrictAjv, precompiledValidatorName, precompiledValidatorsDir, ROOT_SCHEMA_KEY } from './schema-validator.ts';

/** Every `*.schema.json` under `folder`, sorted. */
function schemaFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.schema.json'))
    .sort()
    .map((name) => join(folder, name));
}

/** Registers `schema` with `ajv` and names what its module exports: `default` and every `$defs` entry. */
function schemaExports(ajv: ReturnType<typeof createStrictAjv>, schema: { $id?: string; $defs?: Record<string, unknown> }): Record<string, string> {
  const key = schema.$id ?? ROOT_SCHEMA_KEY;
  ajv.addSchema(schema, schema.$id === undefined ? key : undefined);
  return { default: key, ...Object.fromEntries(Object.keys(schema.$defs ?? {}).map((name) => [name, `${key}#/$defs/${name}`])) };
}

/**
 * Writes one validator module per schema file of `schemaFolder` into `outDir` and returns their
 * paths. A schema that refers to another file is compiled by itself, as {@link compileSchemaFile}
 * compiles it.
 */
export function precompileSchemas(schemaFolder: string = packagePath('spec', 'schema'), outDir: string = precompiledValidatorsDir): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const file of schemaFiles(schemaFolder)) {
    const text = readFileSync(file, 'utf8');
    const ajv = createStrictAjv({ source: true });
    let code: string;
    try {
      // One module per schema: the whole schema as `default`, each of its $defs under its own name.
      code = standalone.default(ajv, schemaExports(ajv, JSON.parse(text) as { $id?: string; $defs?: Record<string, unknown> }));
    } catch {
      // A schema that needs other files ($ref across files) is compiled at run time, as before.
      continue;
    }
    const target = join(outDir, precompiledValidatorName(text));
    writeFileSync(`${target}.tmp`, `// Compiled from ${file.slice(packagePath().length + 1)} by core/precompile-schemas.ts.\n${code}`);
    renameSync(`${target}.tmp`, target);
    written.push(target);
  }
  return written;
}
