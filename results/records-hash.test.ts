import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../test-support/fast-check-seed.ts';
import { canonicalJson, recordsSha256 } from './records-hash.ts';
import { sampleRecords } from '../test-support/sample-results.ts';

/** The definition: sorted keys, no whitespace, undefined properties left out (written out plainly). */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => reference(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('keeps a key named __proto__ that JSON.parse made an own property', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":1,"a":2}'))).toBe('{"__proto__":1,"a":2}');
  });

  it('equals the definition for any JSON value, undefined properties included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
        expect(canonicalJson({ value, gone: undefined })).toBe(reference({ value, gone: undefined }));
      }),
      propertyParameters(),
    );
  });

  it('gives the records hash of the sample records the definition gives', () => {
    const records = sampleRecords();
    expect(recordsSha256(records)).toBe(createHash('sha256').update(reference(records)).digest('hex'));
    expect(recordsSha256([])).toBe(createHash('sha256').update('[]').digest('hex'));
    expect(canonicalJson(records)).toBe(reference(records));
  });
});
