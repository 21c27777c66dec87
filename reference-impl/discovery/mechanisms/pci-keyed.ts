/** Helpers for the mechanisms that key their tables by a PCI function's requester id. */
import type { ScenarioDevice } from '../../../generated/ts/schema/scenario.ts';
import type { ToolstackDevice } from '../../xen/toolstack-config.ts';
import { requesterIdOf } from '../device-tree-of.ts';

/** Segment and requester id of a PCI device, or undefined for other transports or a bad BDF. */
export function pciKey(device: ScenarioDevice | ToolstackDevice): { segment: number; rid: number } | undefined {
  if (device.transport !== 'pci' || !device.bdf) return undefined;
  const rid = requesterIdOf(device.bdf);
  return rid === undefined ? undefined : { segment: device.bdf.segment, rid };
}
