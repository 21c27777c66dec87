/**
 * Who and what a target is, recorded in every result (provenance): the result model's type, so a
 * target's own description goes into results.json unchanged. `description` and the names are
 * untrusted (they may come from a dump or an adapter): render them as text only.
 */
export type { TargetMetadata } from '../generated/ts/schema/results.ts';
