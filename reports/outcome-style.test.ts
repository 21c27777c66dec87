import { describe, expect, it } from 'vitest';
import { outcomes } from '../results/result-model.ts';
import { outcomeMeaning, outcomeSymbol } from './outcome-style.ts';

describe('outcome style', () => {
  it('gives every outcome a symbol of its own, so a matrix reads without colour', () => {
    expect(Object.keys(outcomeSymbol).sort()).toEqual([...outcomes].sort());
    const symbols = Object.values(outcomeSymbol);
    expect(new Set(symbols).size).toBe(symbols.length);
    for (const symbol of symbols) expect(symbol.trim()).not.toBe('');
  });

  it('explains every outcome the way the verdict treats it', () => {
    expect(Object.keys(outcomeMeaning).sort()).toEqual([...outcomes].sort());
    expect(outcomeMeaning.fail).toMatch(/MUST/);
    expect(outcomeMeaning.warning).toMatch(/SHOULD/);
    expect(outcomeMeaning.warning).toMatch(/--strict/);
    expect(outcomeMeaning.xfail).toMatch(/expectations/);
    expect(outcomeMeaning.xpass).toMatch(/update the expectations/);
    expect(outcomeMeaning.error).toMatch(/no verdict/);
  });
});
