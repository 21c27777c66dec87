/**
 * Evaluates the source of an arbitrary as the arbitraries emitter writes it (TypeScript inside a
 * generated module), so tests can draw values from it: `fc` is in scope, type arguments are dropped,
 * and other names the source calls (nested arbitraries) come from `scope`.
 */
import fc from 'fast-check';

/** The arbitrary `source` builds. */
export function arbitraryFromSource<T>(source: string, scope: Readonly<Record<string, unknown>> = {}): fc.Arbitrary<T> {
  const javascript = source.replace(/new Array<(number|bigint)>/g, 'new Array').replace(/ as const/g, '');
  return new Function('fc', ...Object.keys(scope), `return ${javascript};`)(fc, ...Object.values(scope)) as fc.Arbitrary<T>;
}
