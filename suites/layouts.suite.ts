/**
 * The layouts suite under vitest: one test per case of the engine (conformance/suite-cases.ts), for the
 * targets of the current plan (the default plan when this file runs on its own). Known defects of
 * the built-in models pass as expected failures, as they do in `xvc run`.
 */
import { suiteCases } from '../conformance/suite-cases.ts';
import { builtinExpectations, currentPlan } from './support/suite-context.ts';
import { declareCases } from './support/case-test.ts';

const plan = currentPlan();
declareCases(await suiteCases(plan, 'layouts', { concurrency: 2 }), builtinExpectations(plan));
