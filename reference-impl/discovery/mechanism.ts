/**
 * The shape of one discovery mechanism: what the publishing party writes into a scenario, and how a
 * frontend reads it back. Who publishes (and so whether the value can be trusted) is the `writer` of
 * the mechanism's entry in spec/mechanisms.yaml, carried here as data.
 */
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import type { MechanismId, MechanismRecord } from './mechanism-catalogue.ts';
import type { ToolstackDevice, ToolstackView } from '../xen/toolstack-config.ts';

/** What a frontend gets from a mechanism for one device. */
export type DiscoveryReading =
  | { kind: 'domid'; domid: number }
  | { kind: 'absent' }
  | { kind: 'malformed'; reason: string };

/**
 * Who publishes: `honest` writes the backend domid the toolstack assigned (and nothing when the
 * device uses no grants); `hostile` writes `domid` whatever the toolstack assigned.
 */
export type Publisher = { kind: 'honest' } | { kind: 'hostile'; domid: number };

/** The honest publisher. */
export const honestPublisher: Publisher = { kind: 'honest' };

/** A publisher that writes `domid` for every device. */
export function hostilePublisher(domid: number): Publisher {
  return { kind: 'hostile', domid };
}

/** The domid a publisher writes for a device, or undefined when an honest one writes nothing. */
export function publishedDomid(publisher: Publisher, device: ToolstackDevice): number | undefined {
  if (publisher.kind === 'hostile') return publisher.domid;
  return device.grantUsage ? device.backendDomid : undefined;
}

/** One mechanism of spec/mechanisms.yaml, executable. */
export interface DiscoveryMechanism {
  readonly id: MechanismId;
  /** The mechanism's catalogue entry (writer, trusted, dependencies, ...). */
  readonly entry: MechanismRecord;
  /** False when xvc does not model the channel (nothing is published, reading gives absent). */
  readonly modelled: boolean;
  /**
   * Returns `scenario` with what the mechanism's writer publishes for `device` added. The input is
   * not modified. `scenarioDevice` is the device's entry in `scenario` (same id).
   */
  publish(view: ToolstackView, device: ToolstackDevice, scenario: Scenario, publisher?: Publisher): Scenario;
  /** Reads the device's backend domid through this mechanism. Never throws. */
  read(scenario: Scenario, device: ScenarioDevice): DiscoveryReading;
}

/** Parts of a mechanism module; `entry` is filled from the catalogue by the registry. */
export type MechanismImplementation = Omit<DiscoveryMechanism, 'entry' | 'id'>;

/** Replaces the device with id `id` in a copy of the scenario. */
export function withDevice(scenario: Scenario, id: string, change: (device: ScenarioDevice) => ScenarioDevice): Scenario {
  return { ...scenario, devices: scenario.devices.map((device) => (device.id === id ? change(device) : device)) };
}

/** Parses a decimal domid as written in text channels (xenstore, command line); undefined if not one. */
export function parseDomidText(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return undefined;
  return Number(text);
}
