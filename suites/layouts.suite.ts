/**
 * The layouts suite: xvc's own generated codecs judged against the spec. For every field whose
 * constraint enforces a requirement, a value that breaks exactly that constraint must be flagged
 * with the requirement's id, and values that satisfy the layout must not be. This is what makes
 * a device-suite verdict trustworthy: the decoder that produces the evidence detects the violation.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { layoutCodecs } from '../generated/ts/registry.ts';
import { arbitraryRegistry } from '../generated/arbitraries/registry.ts';
import { conformance } from './support/requirement-test.ts';
import type { RequirementId } from '../conformance/requirement-catalogue.ts';
import { currentPlan, runParameters } from './support/suite-context.ts';
import type { NearValid } from '../core/codec-runtime.ts';

const plan = currentPlan();
/** These checks judge xvc's codecs, not a target, so their results carry this target name. */
const codecTarget = 'xvc:codecs';

for (const [layoutName, codec] of Object.entries(layoutCodecs)) {
  const entry = arbitraryRegistry.find((candidate) => candidate.name === layoutName);
  const guarded = codec.meta.fields.filter((field) => field.requirement !== undefined && field.constraints !== undefined);
  if (!entry || guarded.length === 0) continue;
  describe(layoutName, () => {
    for (const field of guarded) {
      const requirement = field.requirement as RequirementId;
      conformance([requirement], `${requirement} ${layoutName}.${field.specName} violations are detected and attributed`, (context) => {
        context.task.meta.target = codecTarget;
        context.task.meta.suite = 'layouts';
        if (!entry.nearValid) throw new Error(`${layoutName} has no near-valid arbitrary`);
        const breaking = (entry.nearValid() as fc.Arbitrary<NearValid<unknown>>).filter(
          (candidate) => candidate.broken.path.join('.') === field.specName,
        );
        const result = fc.check(
          fc.property(breaking, (candidate) => {
            const bytes = codec.encode(candidate.value);
            const issues = codec.decode(bytes, 0, bytes.length).issues.filter((issue) => issue.path.join('.') === field.specName);
            return issues.some((issue) => issue.code === candidate.broken.constraint && issue.requirement === requirement);
          }),
          { ...runParameters(plan), numRuns: Math.min(runParameters(plan).numRuns, 200) },
        );
        if (result.failed) {
          context.task.meta.evidence = [
            { kind: 'counterexample', scenario: result.counterexample, seed: result.seed, path: result.counterexamplePath ?? '', replay: `xvc run --suite layouts --requirement ${requirement} --seed ${result.seed}` },
          ];
          throw new Error(`${layoutName}.${field.specName}: a value breaking the constraint was not flagged with ${requirement}`);
        }
      });
      conformance([requirement], `${requirement} ${layoutName}.${field.specName} valid values are not flagged`, (context) => {
        context.task.meta.target = codecTarget;
        context.task.meta.suite = 'layouts';
        const result = fc.check(
          fc.property(entry.valid() as fc.Arbitrary<unknown>, (value) => {
            const bytes = codec.encode(value);
            return codec.decode(bytes, 0, bytes.length).issues.every((issue) => issue.requirement !== requirement);
          }),
          { ...runParameters(plan), numRuns: Math.min(runParameters(plan).numRuns, 200) },
        );
        if (result.failed) {
          context.task.meta.evidence = [
            { kind: 'counterexample', scenario: result.counterexample, seed: result.seed, path: result.counterexamplePath ?? '', replay: `xvc run --suite layouts --requirement ${requirement} --seed ${result.seed}` },
          ];
          throw new Error(`${layoutName}.${field.specName}: a valid value was flagged with ${requirement}`);
        }
      });
    }
  });
}
