import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error-position.ts';

describe('jsonErrorOffset', () => {
  it.each([
    ['{\n  "format": }', 14],
    ['{"a": 1,}', 8],
    ['[1, 2', 5],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['{"a": "x\ny"}', 8],
    ['[1] x', 4],
    ['', 0],
    ['{"a": [1, {"b": -}]}', 16],
  ])('finds where %j stops being JSON', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('survives deep nesting without recursion', () => {
    expect(jsonErrorOffset(`${'['.repeat(100_000)}x`)).toBe(100_000);
  });
});
