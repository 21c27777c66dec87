/**
 * Public entry of suites/support/: what other layers use of it.
 */
export { currentPlan } from './suite-context.ts';
export { type Evidence } from './test-meta.ts';
