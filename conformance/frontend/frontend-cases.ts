/**
 * The frontend suite as cases: every frontend property against every frontend target, as fast-check
 * properties over toolstack-built platforms with hostile backends. Targets are opened here; a target
 * that cannot be opened makes each of its cases a harness error.
 */
import type { TargetMetadata } from '../../generated/ts/schema/results.ts';
import { openFrontendTarget, type AdapterSettings } from '../../targets/create-target.ts';
import type { FrontendTarget } from '../../targets/frontend-target.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import type { AdapterIncident } from '../../targets/exec.ts';
import { errorResult, guarded, unopenedResult, withIncidents } from '../case-result.ts';
import type { CaseResult, ConformanceCase, SuiteCases } from '../conformance-case.ts';
import { frontendProperties } from './properties.ts';
import { propertyResult } from './property-result.ts';
import { runPropertyOnTarget, type RunSettings } from './run-property.ts';

/** Options of {@link frontendCases}. */
export interface FrontendCaseOptions {
  settings: RunSettings;
  adapter?: AdapterSettings;
  /** More cases for each opened target (its own mechanism matrix), after its properties. */
  moreCases?: (spec: string, target: FrontendTarget) => ConformanceCase[];
}

/** How to take an exec frontend's adapter incidents; undefined for targets that have none. */
function incidentsOf(target: FrontendTarget): (() => readonly AdapterIncident[]) | undefined {
  const exec = target as Partial<{ takeIncidents(): readonly AdapterIncident[] }>;
  return typeof exec.takeIncidents === 'function' ? () => exec.takeIncidents!() : undefined;
}

/** Opens the frontend targets and returns one case per (target, property). */
export async function frontendCases(specs: readonly TargetSpec[], options: FrontendCaseOptions): Promise<SuiteCases> {
  const opened: { spec: TargetSpec; target?: FrontendTarget; failure?: CaseResult }[] = [];
  for (const spec of specs) {
    try {
      opened.push({ spec, target: await openFrontendTarget(spec, options.adapter ?? {}) });
    } catch (error) {
      opened.push({ spec, failure: unopenedResult(error, 'frontend') });
    }
  }
  const cases: ConformanceCase[] = [];
  for (const { spec, target, failure } of opened) {
    const metadata: TargetMetadata | undefined = target?.metadata;
    for (const property of frontendProperties) {
      cases.push({
        suite: 'frontend',
        target: spec.spec,
        groups: [`frontend ${spec.spec}`],
        name: `${property.requirements.join(' ')} ${property.title}`,
        requirements: property.requirements,
        property: property.id,
        run: () =>
          guarded(async () => {
            if (target === undefined) return failure ?? errorResult(new Error(`${spec.spec} was not opened`));
            const run = await runPropertyOnTarget(property, target, options.settings);
            const result = withIncidents(propertyResult(run, `xvc replay --target ${spec.spec} --property ${property.id}`), incidentsOf(target));
            return metadata === undefined ? result : { ...result, targetMetadata: metadata };
          }),
      });
    }
    if (target !== undefined && options.moreCases) cases.push(...options.moreCases(spec.spec, target));
  }
  let closed = false;
  return {
    cases,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(opened.map(({ target }) => target?.close()));
    },
  };
}
