/** JSON writer: the result model itself, validated against its schema before it is written. */
import type { RunResults } from '../result-model.ts';
import { InvalidResultsError, validateResults } from '../validate-results.ts';

/** Renders results.json; throws {@link InvalidResultsError} when the results break the schema. */
export function renderJson(results: RunResults): string {
  const problems = validateResults(results);
  if (problems.length > 0) throw new InvalidResultsError(problems);
  return `${JSON.stringify(results, null, 2)}\n`;
}
