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
        const run = await runTargetMechanismCell(target, declared, cell.mechanism, cell.property, settings);
        if (run.kind === 'inapplicable') return { outcome: 'inapplicable', note: run.reason, targetMetadata: metadata };
        if (run.kind === 'static-fail') return { outcome: 'fail', message: run.reason, evidence: [{ kind: 'text', text: run.reason }], targetMetadata: metadata };
        return { ...propertyResult(run, `xvc replay --target ${spec} --mechanism ${cell.mechanism} --property ${cell.property}`), targetMetadata: metadata };
      }),
  }));
}
