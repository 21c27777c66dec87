/**
 * Public entry of conformance/driver/: the driver suite. Modules elsewhere import from here, never from
 * the files behind it (test-support/architecture checks this).
 */
export { driverCases, type DriverCaseOptions } from './driver-cases.ts';
export { driverCheckName, driverChecks, type DriverCheck } from './check-table.ts';
export { driverSession, type DriverSession, type Epoch, type RegisterAccess } from './driver-session.ts';
export type { BootFacts, DriverCheckInput, DriverFinding } from './driver-finding.ts';
export { traceSlice } from './trace-evidence.ts';
