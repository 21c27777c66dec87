/**
 * The adapter protocol's message types for code outside xvc (`import type ... from
 * 'xvc/adapter-protocol'`): what an adapter written in TypeScript reads and answers on stdio. They are
 * generated from the JSON Schemas under spec/schema/protocol/, which define the same shapes for every
 * other language; docs/adapter-protocol.md explains them.
 */
export {
  PROTOCOL_VERSION,
  commands,
  type AdapterErrorCode,
  type AdapterFunction,
  type AdapterImplementation,
  type AdapterRequest,
  type AdapterResponse,
  type AdapterRole,
  type DeviceUse,
  type Answer,
  type Command,
  type RequestBody,
  type ResultOf,
  type StartResult,
} from './exec/protocol-messages.ts';
export type { Scenario } from '../generated/ts/schema/scenario.ts';
export type { Decision } from '../generated/ts/schema/decision.ts';
export type { MapRequest } from '../generated/ts/schema/map-request.ts';
export type { MapResult } from '../generated/ts/schema/map-result.ts';
