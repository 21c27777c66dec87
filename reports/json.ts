/** JSON writer: the result model itself, validated against its schema before it is written. */
import type { RunResults } from '../results/result-model.ts';
import { serializeResults } from '../results/results-stream.ts';

/** Renders results.json; throws InvalidResultsError when the results break the schema. */
export function renderJson(results: RunResults): string {
  return serializeResults(results);
}
