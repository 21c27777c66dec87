import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { LocatedYaml } from './located-yaml.ts';
import { specProblem, type SpecProblem } from './spec-problem.ts';

/**
 * Creates the project's ajv instance: draft 2020-12 in strict mode, so that a schema which a lax
 * validator would silently accept (unknown keywords, ambiguous types) is an error at load time.
 */
export function createStrictAjv(): Ajv2020 {
  // strictRequired is the one strict check left off: it rejects `required` inside if/then/not
  // sub-schemas, which is the standard way to say "a field of type enum must name its enum".
  return new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: false });
}

const compiled = new Map<string, ValidateFunction>();

/** Compiles (once) the JSON Schema stored at `schemaFile`. */
export function compileSchemaFile(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    validate = createStrictAjv().compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    compiled.set(schemaFile, validate);
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
