import type fc from 'fast-check';
import { seedFromEnvironment } from '../core/seed.ts';

/**
 * The seed every property test uses: `XVC_SEED` when set (CI sets and prints it), otherwise the
 * fixed default, so a failure reproduces by re-running with the seed from the log.
 */
export const propertySeed: number = seedFromEnvironment();

/** fast-check parameters with the fixed seed; shrinking stays on (fast-check's default). */
export function propertyParameters<T>(overrides: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { seed: propertySeed, ...overrides };
}
