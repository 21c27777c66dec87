/**
 * The messages of the xvc adapter protocol as the exec targets use them. The JSON Schemas under
 * spec/schema/protocol/ are the definition and generated/ts/schema/protocol.ts their types; this
 * module only names what the client needs on top (a request before its seq is assigned, the answer
 * kinds). Every message crossing the pipe is validated against the schema, never trusted from the type.
 */
import type { AdapterErrorCode, AdapterRequest, AdapterResultOf, AdapterSkip, adapterCommands } from '../../generated/ts/schema/protocol.ts';

export type {
  AdapterErrorCode,
  AdapterFunction,
  AdapterImplementation,
  AdapterRequest,
  AdapterResponse,
  AdapterRole,
  DeviceUse,
  StartResult,
} from '../../generated/ts/schema/protocol.ts';
export { adapterCommands as commands } from '../../generated/ts/schema/protocol.ts';

/** The protocol version this xvc speaks. */
export const PROTOCOL_VERSION = 'xvc-adapter/1';

/** A command name. */
export type Command = (typeof adapterCommands)[number];

/** Omit that keeps a union a union: one member per request. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Request bodies (everything but `seq`, which the connection assigns), one per command. */
export type RequestBody = OmitEach<AdapterRequest, 'seq'>;

/** The result type of each command. */
export type ResultOf = AdapterResultOf;

/** A validated answer from an adapter: a result, a skip, or an error it reported. */
export type Answer<C extends Command> =
  | { kind: 'result'; result: ResultOf[C] }
  | ({ kind: 'skip' } & AdapterSkip)
  | { kind: 'error'; code: AdapterErrorCode; message: string };
