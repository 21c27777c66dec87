/**
 * The frontend suite: every frontend property (conformance/frontend/properties.ts) against every frontend
 * target of the run, as fast-check properties over toolstack-built platforms with hostile backends.
 * This file only wires; the invariants, generators and running live beside it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { currentPlan, runParameters, targetsFor } from './support/suite-context.ts';
import { openFrontendTarget } from '../targets/create-target.ts';
import { TargetError } from '../targets/device-target.ts';
import type { FrontendTarget } from '../targets/frontend-target.ts';
import { conformance } from './support/requirement-test.ts';
import { frontendProperties } from '../conformance/frontend/index.ts';
import { recordPropertyRun } from './support/record-run.ts';
import { runPropertyOnTarget } from '../conformance/frontend/index.ts';

const plan = currentPlan();
const settings = runParameters(plan);

for (const spec of targetsFor(plan, 'frontend')) {
  describe(`frontend ${spec.spec}`, () => {
    let target: FrontendTarget | undefined;
    let openError: TargetError | undefined;
    beforeAll(async () => {
      try {
        target = await openFrontendTarget(spec);
      } catch (error) {
        openError = error instanceof TargetError ? error : new TargetError('target-unavailable', error instanceof Error ? error.message : String(error));
      }
    });
    afterAll(async () => {
      await target?.close();
    });
    for (const property of frontendProperties) {
      conformance(property.requirements, `${property.requirements.join(' ')} ${property.title}`, async (context) => {
        if (target) context.task.meta.targetMetadata = target.metadata;
        const run = target
          ? await runPropertyOnTarget(property, target, settings)
          : { kind: 'error' as const, code: openError?.code ?? 'target-unavailable', message: openError?.message ?? 'target not opened' };
        recordPropertyRun(context, run, { target: spec.spec, suite: 'frontend', property: property.id });
      });
    }
  });
}
