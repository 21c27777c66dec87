/**
 * The mechanism suite as cases: one per dynamic cell of the mechanism × property matrix, so that
 * every red cell reaches the results with its counterexample. A cell's target is `mechanism:<id>`:
 * xvc's reference policy reading that mechanism only (a self-check of the designs, not of a product).
 */
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { guarded } from '../case-result.ts';
import type { ConformanceCase, SuiteCases } from '../conformance-case.ts';
import { propertyResult } from '../frontend/property-result.ts';
import type { RunSettings } from '../frontend/run-property.ts';
import { mechanismProperties, runMechanismCell } from './matrix.ts';

/** One case per dynamic matrix cell that concerns its mechanism. */
export function mechanismCases(settings: RunSettings): SuiteCases {
  const cases: ConformanceCase[] = [];
  for (const mechanism of mechanisms) {
    const target = `mechanism:${mechanism.id}`;
    const targetMetadata = {
      spec: target,
      kind: 'reference' as const,
      role: 'frontend' as const,
      implementation: `xvc reference policy reading ${mechanism.id} only`,
      description: `${mechanism.title}; value written by ${mechanism.writer} (spec/mechanisms.yaml)`,
    };
    for (const property of mechanismProperties) {
      // A column about other mechanisms has no case here; the matrix shows its cell as n/a.
      if (property.appliesTo && !property.appliesTo(mechanism)) continue;
      const requirements = property.requirements(mechanism);
      cases.push({
        suite: 'mechanisms',
        target,
        groups: [`mechanism ${mechanism.id}`],
        name: `${requirements.join(' ')} ${mechanism.id}: ${property.title}`,
        requirements,
        mechanism: mechanism.id,
        property: property.id,
        run: () =>
          guarded(() => {
            const run = runMechanismCell(mechanism.id, property.id, settings);
            if (run.kind === 'inapplicable') return { outcome: 'inapplicable', note: run.reason, targetMetadata };
            if (run.kind === 'static-fail') return { outcome: 'fail', message: run.reason, evidence: [{ kind: 'text', text: run.reason }], targetMetadata };
            return { ...propertyResult(run, `xvc replay --mechanism ${mechanism.id} --property ${property.id}`), targetMetadata };
          }),
      });
    }
  }
  return { cases, close: async () => {} };
}
