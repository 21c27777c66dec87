/**
 * The messages of the xvc adapter protocol as TypeScript sees them. The JSON Schemas under
 * spec/schema/protocol/ are the definition; these types follow them field for field and every
 * message crossing the pipe is validated against the schema, never trusted from the type.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { MapResult } from '../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';

/** The protocol version this xvc speaks. */
export const PROTOCOL_VERSION = 'xvc-adapter/1';

/** What an adapter implements. */
export type AdapterRole = 'frontend' | 'device';

/** Who wrote the implementation behind an adapter. */
export interface AdapterImplementation {
  name: string;
  version: string;
  language: string;
  homepage?: string;
}

/** Request bodies (everything but `seq`), one per command. */
export type RequestBody =
  | { cmd: 'start'; protocols: string[]; role: AdapterRole }
  | { cmd: 'decide'; scenario: Scenario }
  | { cmd: 'map'; scenario: Scenario; request: MapRequest }
  | { cmd: 'list-functions' }
  | { cmd: 'config-read'; function: string; offset: number; width: 1 | 2 | 4 }
  | { cmd: 'config-write'; function: string; offset: number; width: 1 | 2 | 4; value: number }
  | { cmd: 'bar-read'; function: string; bar: number; offset: number; width: 1 | 2 | 4 }
  | { cmd: 'bar-write'; function: string; bar: number; offset: number; width: 1 | 2 | 4; value: number }
  | { cmd: 'stop' };

/** A command name. */
export type Command = RequestBody['cmd'];

/** Every command, in the order the protocol document lists them. */
export const commands: readonly Command[] = ['start', 'decide', 'map', 'list-functions', 'config-read', 'config-write', 'bar-read', 'bar-write', 'stop'];

/** Result of `start`. */
export interface StartResult {
  protocol: string;
  role: AdapterRole;
  implementation: AdapterImplementation;
  specVersions: string[];
  mechanisms: string[];
  /** A device's declaration: used with Xen grants, behind an IOMMU (conditions its bytes cannot show). */
  deviceUse?: { grants?: boolean; iommu?: boolean };
  maxInFlight?: number;
}

/** One function of `list-functions`. */
export interface AdapterFunction {
  id: string;
  description?: string;
  configSize: number;
  live: boolean;
  writable: boolean;
  bars?: number[];
}

/** The result type of each command. */
export interface ResultOf {
  start: StartResult;
  decide: { decisions: Decision[] };
  map: MapResult;
  'list-functions': { functions: AdapterFunction[] };
  'config-read': { value: number };
  'config-write': Record<string, never>;
  'bar-read': { value: number };
  'bar-write': Record<string, never>;
  stop: Record<string, never>;
}

/** Codes an adapter may put in an error response. */
export type AdapterErrorCode = 'bad-request' | 'unknown-command' | 'unsupported' | 'internal';

/** A validated answer from an adapter: a result, a skip, or an error it reported. */
export type Answer<C extends Command> =
  | { kind: 'result'; result: ResultOf[C] }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; code: AdapterErrorCode; message: string };
