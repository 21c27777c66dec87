/**
 * Validation of adapter-protocol messages against spec/schema/protocol/ (which `$ref`s the scenario,
 * decision and map schemas). One strict ajv instance holds every schema so cross-file references
 * resolve locally. Extra fields are errors under `strict`; otherwise they are removed and reported,
 * so an adapter that adds a harmless field still works but its author is told.
 */
import { packagePath } from '../../core/package-root.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createStrictAjv } from '../../core/schema-validator.ts';
import type { Command } from './protocol-messages.ts';

const schemaRoot = packagePath('spec/schema') + '/';
const dataSchemas = ['scenario', 'decision', 'map-request', 'map-result'];
const protocolBase = 'https://xvc.invalid/schema/protocol/';

/** Name of a protocol schema file without `.schema.json`, e.g. `decide-response`. */
export type ProtocolSchemaName = `${Command}-request` | `${Command}-response` | 'error-response' | 'skip-response' | 'request' | 'response';

/** Outcome of validating one message. */
export type ValidationOutcome =
  | { ok: true; value: unknown; ignoredFields: string[] }
  | { ok: false; problems: string[] };

let validators: Map<string, ValidateFunction> | undefined;

function loadValidators(): Map<string, ValidateFunction> {
  const ajv = createStrictAjv();
  for (const name of dataSchemas) ajv.addSchema(JSON.parse(readFileSync(`${schemaRoot}${name}.schema.json`, 'utf8')) as object);
  const names: string[] = [];
  for (const file of readdirSync(`${schemaRoot}protocol`).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    ajv.addSchema(JSON.parse(readFileSync(`${schemaRoot}protocol/${file}`, 'utf8')) as object);
    names.push(file.slice(0, -'.schema.json'.length));
  }
  const map = new Map<string, ValidateFunction>();
  for (const name of names) {
    const validate = ajv.getSchema(`${protocolBase}${name}.schema.json`);
    if (validate) map.set(name, validate);
  }
  return map;
}

/** The compiled validator of one protocol schema (compiled once per process). */
export function protocolValidator(name: ProtocolSchemaName): ValidateFunction {
  validators ??= loadValidators();
  const validate = validators.get(name);
  if (!validate) throw new Error(`no protocol schema '${name}' under spec/schema/protocol`);
  return validate;
}

/** Renders one ajv error as `path: message`, naming the offending property for unknown fields. */
export function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(message)' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field '${String((error.params as { additionalProperty: string }).additionalProperty)}'`;
  }
  if (error.keyword === 'enum') return `${where}: must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (error.keyword === 'const') return `${where}: must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
  return `${where}: ${error.message ?? error.keyword}`;
}

const combinators = new Set(['anyOf', 'oneOf', 'if', 'not', 'allOf']);

function problemsOf(errors: readonly ErrorObject[]): string[] {
  const specific = errors.filter((error) => !combinators.has(error.keyword));
  return [...new Set((specific.length > 0 ? specific : errors).map(describeSchemaError))].slice(0, 8);
}

function removeAt(value: unknown, pointer: string, property: string): boolean {
  let node: unknown = value;
  for (const part of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  return delete (node as Record<string, unknown>)[property];
}

/**
 * Validates `value` (modified in place when lax: unknown fields are deleted). Under `strict`, an
 * unknown field anywhere is a problem like any other.
 */
export function validateMessage(name: ProtocolSchemaName, value: unknown, strict: boolean): ValidationOutcome {
  const validate = protocolValidator(name);
  if (validate(value)) return { ok: true, value, ignoredFields: [] };
  const errors = [...(validate.errors ?? [])];
  const unknown = errors.filter((error) => error.keyword === 'additionalProperties');
  const others = errors.filter((error) => error.keyword !== 'additionalProperties' && !combinators.has(error.keyword));
  if (strict || unknown.length === 0 || others.length > 0) return { ok: false, problems: problemsOf(errors) };
  const ignoredFields = unknown.map(describeSchemaError);
  for (const error of unknown) removeAt(value, error.instancePath, (error.params as { additionalProperty: string }).additionalProperty);
  if (validate(value)) return { ok: true, value, ignoredFields };
  return { ok: false, problems: problemsOf(validate.errors ?? []) };
}
