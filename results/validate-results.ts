import { packagePath } from '../core/package-root.ts';
import { XvcError } from '../core/xvc-error.ts';
import type { ErrorObject } from 'ajv';
import { compileSchemaFile, precompiledValidatorsDir } from '../core/schema-validator.ts';
import type { RunResults } from './result-model.ts';

/** Absolute path of the results JSON Schema. */
export const resultsSchemaFile: string = packagePath('spec/schema/results.schema.json');

/** One way a results document does not match the schema. */
export interface ResultsSchemaProblem {
  /** JSON pointer of the offending value. */
  pointer: string;
  message: string;
}

/** Checks a value against the results schema; an empty list means it is a valid {@link RunResults}. */
export function validateResults(value: unknown): ResultsSchemaProblem[] {
  const validate = compileSchemaFile(resultsSchemaFile);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => ({
    pointer: error.instancePath === '' ? '/' : error.instancePath,
    message: `${error.message ?? error.keyword}${error.keyword === 'additionalProperties' ? ` '${String((error.params as { additionalProperty: string }).additionalProperty)}'` : ''}`,
  }));
}

/** Type guard form of {@link validateResults}. */
export function isRunResults(value: unknown): value is RunResults {
  return validateResults(value).length === 0;
}

/** Thrown when xvc is about to write results that do not match their own schema (a bug in xvc). */
export class InvalidResultsError extends XvcError<'resultsInvalid'> {
  constructor(readonly problems: readonly ResultsSchemaProblem[]) {
    super('resultsInvalid', `results do not match spec/schema/results.schema.json:\n${problems.slice(0, 20).map((p) => `  ${p.pointer}: ${p.message}`).join('\n')}`, { problems });
  }
}

/** Checks one record against `#/$defs/record` of the results schema. */
export function validateRecord(value: unknown): ResultsSchemaProblem[] {
  const recordValidator = compileSchemaFile(resultsSchemaFile, precompiledValidatorsDir, 'record');
  if (recordValidator(value)) return [];
  return (recordValidator.errors ?? []).map((error: ErrorObject) => ({ pointer: error.instancePath === '' ? '/' : error.instancePath, message: error.message ?? error.keyword }));
}
