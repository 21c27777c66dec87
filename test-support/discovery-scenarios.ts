/**
 * Scenarios for the discovery mechanisms' tests, built by the reference toolstack: an Arm PVH guest
 * (domid 7) with a virtio-pci net device at 0000:00:02.0 (requester id 0x10) and a virtio-mmio block
 * device, both served by one backend domain, with one mechanism published.
 */
import type { Scenario, ScenarioDevice } from '../generated/ts/schema/scenario.ts';
import type { Publisher } from '../reference-impl/discovery/mechanism.ts';
import { buildScenario, type ToolstackView, type XlGuestConfig } from '../reference-impl/xen/toolstack.ts';

/** The PCI address of the net device. */
export const netBdf = { segment: 0, bus: 0, device: 2, function: 0 };
/** Its requester id: bus 0, device 2 << 3, function 0 (written by hand, not computed). */
export const netRequesterId = 0x10;

/** The guest: net over PCI and blk over MMIO, both run by `backend`. */
export function discoveryGuest(backend = 3, extra: Partial<XlGuestConfig> = {}, grantUsage?: boolean): XlGuestConfig {
  const usage = grantUsage === undefined ? {} : { grantUsage };
  return {
    domid: 7,
    type: 'pvh',
    arch: 'arm',
    virtio: [
      { id: 'net', type: 'virtio,device1', transport: 'pci', bdf: netBdf, backend, ...usage },
      { id: 'blk', type: 'virtio,device2', transport: 'mmio', backend, ...usage },
    ],
    ...extra,
  };
}

/** The scenario with mechanism `id` published (honestly unless `publisher` says otherwise), and the toolstack view. */
export function publishedScenario(id: string, guest: XlGuestConfig = discoveryGuest(), publisher?: Publisher): { scenario: Scenario; view: ToolstackView } {
  const built = buildScenario(guest, { publish: [id], ...(publisher && { publishers: { [id]: publisher } }) });
  if (!built.ok) throw new Error(`the test guest cannot have ${id}: ${JSON.stringify(built.problems)}`);
  return { scenario: built.scenario, view: built.view };
}

/** The scenario's device `id`. */
export function deviceOf(scenario: Scenario, id: string): ScenarioDevice {
  const device = scenario.devices.find((candidate) => candidate.id === id);
  if (!device) throw new Error(`no device ${id}`);
  return device;
}
