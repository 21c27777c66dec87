import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import { InvalidResultsError, isRunResults, resultsSchemaFile, validateRecord, validateResults } from './validate-results.ts';

describe('validateResults', () => {
  it('accepts realistic results, every outcome and evidence kind in them', () => {
    expect(validateResults(sampleResults())).toEqual([]);
    expect(isRunResults(sampleResults())).toBe(true);
    expect(resultsSchemaFile).toMatch(/spec\/schema\/results\.schema\.json$/);
  });

  it('names where a document breaks the schema, and which field is unknown', () => {
    const { metadata: _metadata, ...withoutMetadata } = sampleResults();
    expect(validateResults(withoutMetadata)).toContainEqual({ pointer: '/', message: "must have required property 'metadata'" });
    expect(validateResults({ ...sampleResults(), surprise: 1 })).toContainEqual({ pointer: '/', message: "must NOT have additional properties 'surprise'" });
    const badOutcome = sampleResults();
    (badOutcome.records[0] as { outcome: string }).outcome = 'maybe';
    expect(validateResults(badOutcome).map((problem) => problem.pointer)).toContain('/records/0/outcome');
    expect(isRunResults(badOutcome)).toBe(false);
    expect(validateResults('results')).toEqual([{ pointer: '/', message: 'must be object' }]);
  });
});

describe('validateRecord', () => {
  it('checks one record against the record definition of the schema', () => {
    const [record] = sampleResults().records;
    expect(validateRecord(record)).toEqual([]);
    expect(validateRecord({ ...record, outcome: 'maybe' }).map((problem) => problem.pointer)).toContain('/outcome');
    const { requirement: _requirement, ...withoutRequirement } = record!;
    expect(validateRecord(withoutRequirement)).toContainEqual({ pointer: '/', message: "must have required property 'requirement'" });
  });
});

describe('InvalidResultsError', () => {
  it('is an internal error (xvc wrote results it cannot read) holding every problem and naming the first twenty', () => {
    const problems = Array.from({ length: 25 }, (_, index) => ({ pointer: `/records/${index}`, message: 'must be object' }));
    const error = new InvalidResultsError(problems);
    expect(error).toMatchObject({ diagnostic: 'resultsInvalid', category: 'internal', problems });
    expect(error.message.split('\n')).toHaveLength(21);
    expect(error.message).toContain('  /records/19: must be object');
    expect(error.message).not.toContain('/records/20:');
  });
});
