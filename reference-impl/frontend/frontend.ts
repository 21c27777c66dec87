/**
 * The one interface every frontend (the reference, the Linux models, the frontends that trust a
 * backend-written mechanism) implements: decide per device, and map buffers for a device. The
 * shapes are the schema-derived types the external adapter protocol carries too.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { MapResult } from '../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import type { MechanismId } from '../discovery/mechanism-catalogue.ts';

/** The schema-derived shapes a frontend consumes and produces. */
export type { Decision, MapRequest, MapResult, Scenario };

/** A virtio frontend under Xen, as the suites see it. */
export interface Frontend {
  /** Registry name, e.g. `reference` or `linux-6.5`. */
  readonly name: string;
  /**
   * The discovery mechanisms (spec/mechanisms.yaml) the frontend reads, as an adapter declares them in
   * its `start` answer: the per-target matrix judges these and checks that every other one is ignored.
   */
  readonly mechanisms: readonly MechanismId[];
  /** One decision per device of the scenario, in device order. Never throws. */
  decide(scenario: Scenario): Decision[];
  /** Makes the request's buffers reachable by the device's backend. Never throws. */
  map(scenario: Scenario, request: MapRequest): MapResult;
}
