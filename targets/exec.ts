/**
 * `exec:COMMAND` targets: an external implementation, in any language, speaking the xvc adapter
 * protocol (spec/schema/protocol/, docs/adapter-protocol.md) on stdin/stdout.
 */
export { createExecDeviceTarget, type ExecDeviceTarget } from './exec/exec-device-target.ts';
export { createExecFrontendTarget, type ExecFrontendTarget } from './exec/exec-frontend-target.ts';
export type { ExecTargetOptions } from './exec/exec-options.ts';
export { PROTOCOL_VERSION } from './exec/protocol-messages.ts';
export { trivialScenario } from './exec/trivial-scenario.ts';
export { AdapterConnection, RequestFailure } from './exec/adapter-connection.ts';
export { adapterIncidentDiagnostic, describeIncident, type AdapterIncident, type AdapterIncidentKind } from './exec/adapter-incident.ts';
export { execSettings, type ExecSettings } from './exec/exec-options.ts';
export { type AdapterRole, type Answer, type Command, type RequestBody, type StartResult } from './exec/protocol-messages.ts';
