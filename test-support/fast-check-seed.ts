import fc from 'fast-check';

/**
 * The seed every property test uses: `XVC_SEED` when set (CI sets and prints it), otherwise a fixed
 * default, so a failure reproduces by re-running with the seed from the report.
 */
export const propertySeed: number = (() => {
  const raw = process.env.XVC_SEED;
  if (raw === undefined || raw === '') return 0x5eed;
  const parsed = Number(raw);
  if (!Number.isSafeInteger(parsed)) throw new Error(`XVC_SEED must be an integer, got '${raw}'`);
  return parsed;
})();

/** fast-check parameters with the fixed seed; shrinking stays on (fast-check's default). */
export function propertyParameters<T>(overrides: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { seed: propertySeed, ...overrides };
}
