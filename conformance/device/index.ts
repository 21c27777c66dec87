/**
 * Public entry of conformance/device/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { liveRows, rowName, staticRows, type CheckRow } from './check-table.ts';
export { inapplicable } from './checks/verdict.ts';
export { judge, openSuiteTarget, recordHarnessError, type SuiteTarget } from './suite-runner.ts';
