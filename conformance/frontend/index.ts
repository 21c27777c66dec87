/**
 * Public entry of conformance/frontend/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { answerCase, answerCaseWithTarget } from './evaluate.ts';
export { describeViolation, type CaseAnswers, type FrontendCase, type Violation } from './invariants.ts';
export { frontendProperties, frontendPropertyById } from './properties.ts';
export { runPropertyOnTarget, type PropertyRun } from './run-property.ts';
