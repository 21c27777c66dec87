import type { Decision } from '../generated/ts/schema/decision.ts';
import type { MapRequest } from '../generated/ts/schema/map-request.ts';
import type { MapResult } from '../generated/ts/schema/map-result.ts';
import type { Scenario } from '../generated/ts/schema/scenario.ts';
import type { TargetMetadata } from './target-metadata.ts';

/** A target declined a request it does not support; the test is inapplicable, not failed. */
export interface TargetSkip {
  skip: true;
  reason: string;
}

/**
 * A frontend as the frontend suites see it: given the platform one guest sees, what does it decide
 * for each device, and which grants does it create for a set of buffers. Implemented by the
 * reference frontend, the built-in models and external adapters (exec:).
 */
export interface FrontendTarget {
  readonly metadata: TargetMetadata;
  /** One decision per device of the scenario, in the scenario's device order. */
  decide(scenario: Scenario): Promise<Decision[] | TargetSkip>;
  /** The grants and DMA addresses the frontend creates for the request's buffers. */
  map(scenario: Scenario, request: MapRequest): Promise<MapResult | TargetSkip>;
  /** Releases processes; idempotent. */
  close(): Promise<void>;
}

/** Whether a target answer is a skip. */
export function isSkip(value: unknown): value is TargetSkip {
  return typeof value === 'object' && value !== null && (value as { skip?: unknown }).skip === true;
}
