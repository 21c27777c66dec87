/**
 * The fast-check seed of a run or a test process, parsed in one place: `XVC_SEED` when set (CI sets
 * and prints it), a fixed default otherwise, so that two runs agree and every counterexample in a
 * report reproduces from the seed it names.
 */
import { XvcError } from './xvc-error.ts';

/** The seed used when neither `--seed` nor `XVC_SEED` gives one. */
export const defaultSeedValue = 0x5eed;

/**
 * fast-check's generator uses a seed's low 32 bits, so both spellings of a 32-bit value are accepted:
 * signed (from -2^31) and unsigned (up to 2^32-1). -1 and 4294967295 name the same run.
 */
const minSeed = -(2 ** 31);
const maxSeed = 2 ** 32 - 1;

/** A seed text that is not an integer fast-check accepts. */
export class InvalidSeedError extends XvcError<'invalidSeed'> {
  constructor(
    readonly origin: string,
    readonly text: string,
  ) {
    super('invalidSeed', `${origin} must be an integer between ${minSeed} and ${maxSeed}, got '${text}'`, { origin, text });
  }
}

/** Whether `value` is a seed xvc accepts: what {@link parseSeed} returns, for a seed read from a file (untrusted JSON). */
export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= minSeed && value <= maxSeed;
}

/** The seeds {@link isSeed} accepts, in words, for a message about a seed that is none. */
export const seedRangeText = `an integer from ${minSeed} to ${maxSeed}`;

/** Parses a seed given as text; `origin` names where it came from (`--seed`, `XVC_SEED`) for the error. */
export function parseSeed(text: string, origin: string): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!isSeed(value)) throw new InvalidSeedError(origin, text);
  return value;
}

/** The seed of `XVC_SEED`, or the fixed default when it is unset or empty; throws {@link InvalidSeedError} on anything else. */
export function seedFromEnvironment(environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment.XVC_SEED;
  return raw === undefined || raw === '' ? defaultSeedValue : parseSeed(raw, 'XVC_SEED');
}
