import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { LocatedYaml } from './located-yaml.ts';
import { packagePath } from './package-root.ts';
import { specProblem, type SpecProblem } from './spec-problem.ts';

const require = createRequire(import.meta.url);

/**
 * The options of the project's ajv instance: draft 2020-12 in strict mode, so that a schema which a
 * lax validator would silently accept (unknown keywords, ambiguous types) is an error at load time.
 * strictRequired is the one strict check left off: it rejects `required` inside if/then/not
 * sub-schemas, which is the standard way to say "a field of type enum must name its enum".
 */
export const strictAjvOptions = { strict: true, strictRequired: false, allErrors: true, allowUnionTypes: false } as const;

/**
 * Creates the project's ajv instance ({@link strictAjvOptions}); `source` keeps the generated code for
 * standalone output. ajv itself is loaded here, at the first compile, not with this module: loading
 * it takes ~0.1 s, which a command whose validators were compiled ahead of time never needs to pay.
 */
export function createStrictAjv(options: { source?: boolean } = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new Ajv({ ...strictAjvOptions, ...(options.source === true && { code: { source: true } }) });
}

/**
 * Where `npm run build` leaves validators compiled ahead of time (core/precompile-schemas.ts):
 * compiling the results schema costs a few hundred milliseconds of every command that reads results.
 */
export const precompiledValidatorsDir: string = packagePath('dist', 'schema-validators');

/**
 * The file name of the validator compiled from `schemaText`: a hash of the text, of the ajv version
 * and of the options, so a validator compiled from another version of the schema is never found.
 */
export function precompiledValidatorName(schemaText: string): string {
  const version = (require('ajv/package.json') as { version: string }).version;
  return `${createHash('sha256').update(JSON.stringify([version, strictAjvOptions, schemaText])).digest('hex').slice(0, 32)}.cjs`;
}

/** The key a schema without `$id` is registered under, so that its `$defs` can be named. */
export const ROOT_SCHEMA_KEY = 'xvc:schema';

const compiled = new Map<string, ValidateFunction>();

/** Compiles `definition` of `schema` (the whole schema when undefined) at run time. */
function compileNow(schema: { $id?: string }, definition: string | undefined): ValidateFunction | undefined {
  const ajv = createStrictAjv();
  if (definition === undefined) return ajv.compile(schema);
  const key = schema.$id ?? ROOT_SCHEMA_KEY;
  ajv.addSchema(schema, schema.$id === undefined ? key : undefined);
  return ajv.getSchema(`${key}#/$defs/${definition}`);
}

/**
 * Compiles (once) the JSON Schema stored at `schemaFile`, or only its `$defs/<definition>`, or loads
 * the validator `npm run build` compiled from exactly this text when `validatorsDir` holds one.
 * Throws when the schema has no such definition.
 */
export function compileSchemaFile(schemaFile: string, validatorsDir: string = precompiledValidatorsDir, definition?: string): ValidateFunction {
  const cacheKey = `${schemaFile}#${definition ?? ''}`;
  let validate = compiled.get(cacheKey);
  if (!validate) {
    const text = readFileSync(schemaFile, 'utf8');
    const precompiled = join(validatorsDir, precompiledValidatorName(text));
    const module = existsSync(precompiled) ? (require(precompiled) as Record<string, ValidateFunction | undefined>) : undefined;
    validate = module?.[definition ?? 'default'] ?? compileNow(JSON.parse(text) as { $id?: string }, definition);
    if (!validate) throw new Error(`${schemaFile} has no $defs/${definition}`);
    compiled.set(cacheKey, validate);
  }
  return validate;
}

/** Validates a located YAML document against a compiled schema; every error carries a position. */
export function validateLocated(yaml: LocatedYaml, validate: ValidateFunction): SpecProblem[] {
  if (validate(yaml.data)) return [];
  return simplifyErrors(validate.errors ?? []).map((error) => {
    const path = pointerToPath(error.instancePath);
    // An unknown key is best shown where the key itself is written.
    if (error.keyword === 'additionalProperties') {
      path.push((error.params as { additionalProperty: string }).additionalProperty);
    }
    return specProblem('schemaViolation', yaml.positionOf(path), path, describe(error));
  });
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'file' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown property '${String((error.params as { additionalProperty: string }).additionalProperty)}'`;
  }
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

// With allErrors, a failing oneOf/anyOf/if also reports every branch; keep the most specific errors
// (deepest instance path first) and drop the combinator summaries when something deeper explains them.
function simplifyErrors(errors: ErrorObject[]): ErrorObject[] {
  const combinators = new Set(['oneOf', 'anyOf', 'if', 'not', 'allOf']);
  const specific = errors.filter((error) => !combinators.has(error.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${error.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
