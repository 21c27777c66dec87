/**
 * Public entry of suites/support/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { defaultPlan } from './suite-context.ts';
export { type Evidence } from './test-meta.ts';
