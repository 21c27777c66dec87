import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, OptionValueError, parseIntegerOption } from './integer-option.ts';

describe('parseIntegerOption', () => {
  it('accepts decimal digits within the bounds', () => {
    expect(parseIntegerOption('--timeout', '5000', { min: 1, max: MAX_TIMER_MS })).toBe(5000);
    expect(parseIntegerOption('--timeout', String(MAX_TIMER_MS), { min: 1, max: MAX_TIMER_MS })).toBe(MAX_TIMER_MS);
  });

  it("refuses '', blanks, signs, exponents, fractions, and what Number() would quietly accept", () => {
    for (const value of ['', ' ', ' 7', '7 ', '+7', '-7', '1e3', '7.0', '0x10', 'Infinity', undefined]) {
      expect(() => parseIntegerOption('--runs', value, { min: 1, max: 100 }), String(value)).toThrow(OptionValueError);
    }
  });

  it('refuses values past the bounds, such as above 2^32 or a timer Node would fire at once', () => {
    expect(() => parseIntegerOption('--timeout', '4294967297', { min: 1, max: MAX_TIMER_MS })).toThrow(/from 1 to 2147483647, got "4294967297"/);
    expect(() => parseIntegerOption('--timeout', '0', { min: 1, max: MAX_TIMER_MS })).toThrow(OptionValueError);
    expect(() => parseIntegerOption('--runs', '99999999999999999', { min: 1, max: 10 })).toThrow(OptionValueError);
  });
});
