/**
 * Which transports a discovery mechanism can describe, found by publishing a probe domid for one PCI
 * and one MMIO device and reading something back, so that no per-mechanism list is typed anywhere.
 */
import type { DiscoveryMechanism } from '../../reference-impl/discovery/index.ts';
import { buildScenario } from '../../reference-impl/xen/index.ts';

/** Transports through which a mechanism can describe a device. */
export type Transport = 'pci' | 'mmio';

const probeDomid = 3;
const transportsCache = new Map<string, Transport[]>();

/** The transports `mechanism` describes (cached per mechanism id). */
export function supportedTransports(mechanism: DiscoveryMechanism): Transport[] {
  const cached = transportsCache.get(mechanism.id);
  if (cached) return cached;
  const arch = mechanism.entry.architectures[0] ?? 'arm';
  const built = buildScenario(
    {
      domid: 7,
      type: 'pvh',
      arch,
      virtio: [
        { id: 'pci', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: 0 }, backend: probeDomid, grantUsage: true },
        { id: 'mmio', type: 'virtio,device1', transport: 'mmio', backend: probeDomid, grantUsage: true },
      ],
    },
    { publish: [mechanism.id] },
  );
  const transports: Transport[] = [];
  if (built.ok) {
    for (const device of built.scenario.devices) {
      // Any domid counts: a mechanism may describe a device and still name the wrong domain (the matrix shows that).
      if (mechanism.read(built.scenario, device).kind === 'domid') transports.push(device.transport);
    }
  }
  transportsCache.set(mechanism.id, transports);
  return transports;
}
