/**
 * The conformance tests xvc declares, with the requirement ids each names, for `xvc requirements`
 * and the traceability gate: the cases of every suite for the built-in targets (the reference device
 * and frontend stand for any target: a suite's checks do not depend on which target it judges). The
 * driver suite has no built-in target; a guest stands in, and nothing boots: its cases are only listed.
 */
import { caseFullName } from '../../conformance/conformance-case.ts';
import type { RequirementTest } from '../../conformance/coverage.ts';
import { defaultPlan, suiteNames } from '../../conformance/run-plan.ts';
import { suiteCases } from '../../conformance/suite-cases.ts';

/** The guest target whose (never run) cases stand for the driver suite's. */
const DRIVER_STAND_IN = 'guest:virtio-net-pci';

/** Every declared test, and every suite whose cases could not be built. */
export async function declaredTests(repoRoot: string): Promise<{ tests: RequirementTest[]; errors: string[] }> {
  const plan = { ...defaultPlan(repoRoot), targets: ['reference', DRIVER_STAND_IN] };
  const tests: RequirementTest[] = [];
  const errors: string[] = [];
  for (const suite of suiteNames) {
    try {
      const built = await suiteCases(plan, suite);
      for (const testCase of built.cases) tests.push({ name: `${suite} > ${caseFullName(testCase)}`, requirements: [...testCase.requirements] });
      await built.close();
    } catch (error) {
      errors.push(`${suite} suite: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { tests, errors };
}
