/**
 * Serves an in-process frontend of reference-impl/ (the reference, a Linux model, a frontend that
 * trusts a backend-written mechanism) as a frontend target.
 */
import type { Frontend } from '../reference-impl/frontend/index.ts';
import type { FrontendTarget } from './frontend-target.ts';
import type { TargetMetadata } from './target-metadata.ts';

/** Wraps a built-in frontend; `spec` is the target spec the user wrote (`reference`, `model:linux-6.5`). */
export function builtinFrontendTarget(spec: string, frontend: Frontend, kind: 'reference' | 'model'): FrontendTarget {
  const metadata: TargetMetadata = {
    spec,
    kind,
    role: 'frontend',
    implementation: kind === 'reference' ? 'xvc reference frontend' : `xvc model of ${frontend.name}`,
    description:
      kind === 'reference'
        ? 'Trusted sources only, fails closed, never grants to itself or to a reserved domid'
        : `Built-in model of ${frontend.name} (digest decision table 5.9)`,
    mechanisms: [...frontend.mechanisms],
  };
  return {
    metadata,
    decide: async (scenario) => frontend.decide(scenario),
    map: async (scenario, request) => frontend.map(scenario, request),
    close: async () => {},
  };
}
