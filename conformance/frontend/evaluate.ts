/**
 * Asking a frontend about a case: its decisions for the scenario (and the variant, when the case has
 * one) and its map result for the case's request. In-process frontends answer synchronously (the
 * mechanism matrix, the benchmark); targets answer asynchronously and may decline (TargetSkip).
 */
import type { Frontend } from '../../reference-impl/frontend/index.ts';
import { isSkip, type FrontendTarget, type TargetSkip } from '../../targets/frontend-target.ts';
import type { CaseAnswers, FrontendCase, Violation } from './invariants.ts';
import type { FrontendProperty } from './properties.ts';

/** Answers of an in-process frontend. */
export function answerCase(frontend: Pick<Frontend, 'decide' | 'map'>, testCase: FrontendCase): CaseAnswers {
  return {
    decisions: frontend.decide(testCase.scenario),
    ...(testCase.variant && { variantDecisions: frontend.decide(testCase.variant) }),
    ...(testCase.request && { mapResult: frontend.map(testCase.scenario, testCase.request) }),
  };
}

/** Answers of a target, or the target's skip. Errors the target throws propagate. */
export async function answerCaseWithTarget(target: Pick<FrontendTarget, 'decide' | 'map'>, testCase: FrontendCase): Promise<CaseAnswers | TargetSkip> {
  const decisions = await target.decide(testCase.scenario);
  if (isSkip(decisions)) return decisions;
  const answers: CaseAnswers = { decisions };
  if (testCase.variant) {
    const variantDecisions = await target.decide(testCase.variant);
    if (isSkip(variantDecisions)) return variantDecisions;
    answers.variantDecisions = variantDecisions;
  }
  if (testCase.request) {
    const mapResult = await target.map(testCase.scenario, testCase.request);
    if (isSkip(mapResult)) return mapResult;
    answers.mapResult = mapResult;
  }
  return answers;
}

/** The property's verdict on an in-process frontend for one case. */
export function violationOf(property: FrontendProperty, frontend: Pick<Frontend, 'decide' | 'map'>, testCase: FrontendCase): Violation | undefined {
  return property.check(testCase, answerCase(frontend, testCase));
}
