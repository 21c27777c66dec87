/**
 * The layouts suite as cases: xvc's own generated codecs judged against the spec. For every field
 * whose constraint enforces a requirement, a value that breaks exactly that constraint must be
 * flagged with the requirement's id, and values that satisfy the layout must not be. This is what
 * makes a device verdict trustworthy: the decoder that produces the evidence detects the violation.
 */
import fc from 'fast-check';
import type { NearValid } from '../../core/codec-runtime.ts';
import { arbitraryRegistry } from '../../generated/arbitraries/registry.ts';
import { isRequirementId, type RequirementId } from '../../generated/ts/requirements.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import { guarded } from '../case-result.ts';
import type { CaseResult, ConformanceCase, SuiteCases } from '../conformance-case.ts';
import type { RunSettings } from '../frontend/run-property.ts';

/** These checks judge xvc's codecs, not a target, so their results carry this target name. */
export const codecTarget = 'xvc:codecs';

/** Properties over codecs need fewer runs than over frontends to find a missed constraint. */
const MAX_RUNS = 200;

function counterexample(result: Pick<fc.RunDetails<unknown[]>, 'counterexample' | 'seed' | 'counterexamplePath'>, requirement: RequirementId, message: string): CaseResult {
  return {
    outcome: 'fail',
    message,
    evidence: [
      {
        kind: 'counterexample',
        scenario: JSON.parse(JSON.stringify(result.counterexample, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))) as object,
        seed: result.seed,
        path: result.counterexamplePath ?? '',
        replay: `xvc run --suite layouts --requirement ${requirement} --seed ${result.seed}`,
      },
    ],
  };
}

/** Two cases per constrained field: violations are detected and attributed, valid values are not flagged. */
export function layoutCases(settings: RunSettings): SuiteCases {
  const parameters = { seed: settings.seed, numRuns: Math.min(settings.numRuns, MAX_RUNS) };
  const cases: ConformanceCase[] = [];
  for (const [layoutName, codec] of Object.entries(layoutCodecs)) {
    const entry = arbitraryRegistry.find((candidate) => candidate.name === layoutName);
    const guardedFields = codec.meta.fields.filter((field) => field.requirement !== undefined && field.constraints !== undefined);
    if (!entry || guardedFields.length === 0) continue;
    for (const field of guardedFields) {
      const id = field.requirement!;
      if (!isRequirementId(id)) throw new Error(`${layoutName}.${field.specName} names ${id}, which the catalogue does not define`);
      const requirement: RequirementId = id;
      const base = { suite: 'layouts' as const, target: codecTarget, groups: [layoutName], requirements: [requirement] };
      cases.push({
        ...base,
        name: `${requirement} ${layoutName}.${field.specName} violations are detected and attributed`,
        run: () =>
          guarded(() => {
            if (!entry.nearValid) return { outcome: 'error', message: `${layoutName} has no near-valid arbitrary`, evidence: [] };
            const breaking = (entry.nearValid() as fc.Arbitrary<NearValid<unknown>>).filter((candidate) => candidate.broken.path.join('.') === field.specName);
            const result = fc.check(
              fc.property(breaking, (candidate) => {
                const bytes = codec.encode(candidate.value);
                const issues = codec.decode(bytes, 0, bytes.length).issues.filter((issue) => issue.path.join('.') === field.specName);
                return issues.some((issue) => issue.code === candidate.broken.constraint && issue.requirement === requirement);
              }),
              parameters,
            );
            return result.failed
              ? counterexample(result, requirement, `${layoutName}.${field.specName}: a value breaking the constraint was not flagged with ${requirement}`)
              : { outcome: 'pass' };
          }),
      });
      cases.push({
        ...base,
        name: `${requirement} ${layoutName}.${field.specName} valid values are not flagged`,
        run: () =>
          guarded(() => {
            const result = fc.check(
              fc.property(entry.valid() as fc.Arbitrary<unknown>, (value) => {
                const bytes = codec.encode(value);
                return codec.decode(bytes, 0, bytes.length).issues.every((issue) => issue.requirement !== requirement);
              }),
              parameters,
            );
            return result.failed ? counterexample(result, requirement, `${layoutName}.${field.specName}: a valid value was flagged with ${requirement}`) : { outcome: 'pass' };
          }),
      });
    }
  }
  return { cases, close: async () => {} };
}
