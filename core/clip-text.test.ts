import { describe, expect, it } from 'vitest';
import { clip } from './clip-text.ts';

describe('clip', () => {
  it('keeps text within the limit unchanged', () => {
    expect(clip('abc', 3)).toBe('abc');
  });

  it('cuts longer text and says how many characters were left out', () => {
    expect(clip('abcdef', 4)).toBe('abcd\n… (2 more characters)');
  });
});
