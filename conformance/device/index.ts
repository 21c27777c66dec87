/**
 * Public entry of conformance/device/: the device suite's checks as cases, and the pieces the
 * benchmark and the report of a single device reuse.
 */
export { deviceCases, verdictResult, type DeviceCaseOptions } from './device-cases.ts';
export { liveRows, rowName, staticRows, type CheckInput, type CheckRow } from './check-table.ts';
export { inapplicable, type CheckVerdict } from './checks/verdict.ts';
export { openDeviceUnderTest, type DeviceUnderTest } from './device-under-test.ts';
