import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import type { RunResults } from '../results/result-model.ts';
import { InvalidResultsError } from '../results/validate-results.ts';
import { renderJson } from './json.ts';

describe('renderJson', () => {
  it('round-trips the result model', () => {
    const results = sampleResults();
    expect(JSON.parse(renderJson(results))).toEqual(results);
  });

  it('refuses results that break the schema instead of writing them', () => {
    const broken = { ...sampleResults(), records: [{ id: 'x' }] } as unknown as RunResults;
    expect(() => renderJson(broken)).toThrow(InvalidResultsError);
  });
});
