/**
 * A frontend target's mechanism matrix as cases: one per cell of targetMatrixCells, each carrying its
 * mechanism and property so that the results model files it under the target's own matrix. For the
 * runner that opens the frontend targets (frontendCases) to append to a target's cases.
 */
import type { TargetMetadata } from '../../generated/ts/schema/results.ts';
import type { FrontendTarget } from '../../targets/frontend-target.ts';
import { guarded } from '../case-result.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { propertyResult } from '../frontend/property-result.ts';
import type { RunSettings } from '../frontend/run-property.ts';
import { runTargetMechanismCell, targetMatrixCells } from './target-matrix.ts';
import { mechanismProperties, runMechanismCell } from './matrix.ts';

/**
 * Whether the mechanism itself cannot meet the property: xvc's reference reader of that mechanism
 * alone (the `mechanism:<id>` self-check) fails it too. Then a target reading the mechanism as
 * defined is not at fault, and its cell is inapplicable: the design's red cell is in the mechanism
 * matrix, not a claim about the target.
 */
function mechanismFails(mechanism: string, property: string, settings: RunSettings): boolean {
  if (!mechanismProperties.some((candidate) => candidate.id === property)) return false;
  const run = runMechanismCell(mechanism, property, { seed: settings.seed, numRuns: settings.numRuns });
  return run.kind === 'fail' || run.kind === 'static-fail';
}

/** The matrix cases of the opened frontend target `target`, written `spec` by the user. */
export function targetMatrixCases(spec: string, target: Pick<FrontendTarget, 'decide' | 'map' | 'metadata'>, settings: RunSettings): ConformanceCase[] {
  const declared = target.metadata.mechanisms ?? [];
  const metadata: TargetMetadata = target.metadata;
  return targetMatrixCells(declared).map((cell) => ({
    suite: 'frontend',
    target: spec,
    groups: [`frontend ${spec}`, `mechanism ${cell.mechanism}`],
    name: `${cell.requirements.join(' ')} ${cell.mechanism}: ${cell.property}${cell.declared ? '' : ' (not declared)'}`,
    requirements: cell.requirements,
    mechanism: cell.mechanism,
    property: cell.property,
    run: () =>
      guarded(async () => {
        if (cell.declared && mechanismFails(cell.mechanism, cell.property, settings)) {
          return {
            outcome: 'inapplicable',
            note: `${cell.mechanism} itself cannot meet ${cell.requirements.join(', ')}: xvc's own reader of it fails this property too (see mechanism:${cell.mechanism} in the mechanism matrix), so reading it as defined is no fault of the target`,
            targetMetadata: metadata,
          };
        }
        const run = await runTargetMechanismCell(target, declared, cell.mechanism, cell.property, settings);
        if (run.kind === 'inapplicable') return { outcome: 'inapplicable', note: run.reason, targetMetadata: metadata };
        if (run.kind === 'static-fail') return { outcome: 'fail', message: run.reason, evidence: [{ kind: 'text', text: run.reason }], targetMetadata: metadata };
        return { ...propertyResult(run, `xvc replay --target ${spec} --mechanism ${cell.mechanism} --property ${cell.property}`), targetMetadata: metadata };
      }),
  }));
}
