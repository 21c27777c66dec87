/**
 * Whole-number command-line options, strictly: `Number('')` is 0, `Number(' 7 ')` is 7, `Number('1e3')`
 * is 1000 and `Number('4294967297')` is a valid but absurd timeout (Node clamps timers above 2^31-1 ms
 * to 1 ms). An option value is decimal digits only, within the bounds the option states.
 */
import { XvcError } from './xvc-error.ts';

/** The longest delay a Node timer honours (about 24.8 days); above it the timer fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A value given to a numeric option that cannot be used (exit code 2). */
export class OptionValueError extends XvcError<'badOptionValue'> {
  constructor(
    readonly option: string,
    readonly value: string,
    readonly min: number,
    readonly max: number,
  ) {
    super('badOptionValue', `${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`, { option, value, min, max });
  }
}

/**
 * Parses the value of `option`: decimal digits only (no sign, blank, exponent or fraction), between
 * `min` and `max` inclusive. Throws {@link OptionValueError} otherwise.
 */
export function parseIntegerOption(option: string, value: string | undefined, bounds: { min: number; max: number }): number {
  const text = value ?? '';
  if (!/^[0-9]{1,16}$/.test(text)) throw new OptionValueError(option, text, bounds.min, bounds.max);
  const parsed = Number(text);
  if (!Number.isSafeInteger(parsed) || parsed < bounds.min || parsed > bounds.max) throw new OptionValueError(option, text, bounds.min, bounds.max);
  return parsed;
}
