/**
 * virtio-iommu-trusted / virtio-iommu-backend (proposed): a virtio-iommu answers PROBE for each
 * endpoint with a backend-domid property. Which of the two mechanisms a scenario's virtio-iommu is
 * depends on who runs it (`runBy`), compared with each mechanism's writer in spec/mechanisms.yaml.
 */
import {
  decodeVirtioIommuProbeXenBackendDomid,
  encodeVirtioIommuProbeXenBackendDomid,
  VIRTIO_IOMMU_PROBE_XEN_BACKEND_DOMID_OFFSETS,
  VIRTIO_IOMMU_PROBE_XEN_BACKEND_DOMID_SIZE,
} from '../../../generated/ts/proposals/virtio-iommu-probe-xen-backend-domid.ts';
import { VIRTIO_IOMMU_PROBE_T_XEN_BACKEND_DOMID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { honestPublisher, publishedDomid, type MechanismImplementation } from '../mechanism.ts';
import { mechanismEntry } from '../mechanism-catalogue.ts';
import { pciKey } from './pci-keyed.ts';

/** The PROBE property bytes for `domid`. */
export function backendDomidProperty(domid: number): Uint8Array {
  return encodeVirtioIommuProbeXenBackendDomid({
    type: VIRTIO_IOMMU_PROBE_T_XEN_BACKEND_DOMID,
    typeReserved: 0,
    length: VIRTIO_IOMMU_PROBE_XEN_BACKEND_DOMID_SIZE - VIRTIO_IOMMU_PROBE_XEN_BACKEND_DOMID_OFFSETS.backendDomid,
    backendDomid: domid,
    valid: true,
    flagsReserved: 0,
  });
}

/** The mechanism `id`, whose writer (dom0 or backend) runs the virtio-iommu. */
export function virtioIommuMechanism(id: 'virtio-iommu-trusted' | 'virtio-iommu-backend'): MechanismImplementation {
  const runBy = (): 'dom0' | 'backend' => (mechanismEntry(id).writer === 'backend' ? 'backend' : 'dom0');
  return {
    modelled: true,
    publish(_view, device, scenario, publisher = honestPublisher) {
      const key = pciKey(device);
      const domid = publishedDomid(publisher, device);
      if (!key || domid === undefined) return scenario;
      const current = scenario.channels.virtioIommu;
      // One virtio-iommu per guest: publishing through the other mechanism replaces who runs it.
      const endpoints = current && current.runBy === runBy() ? current.endpoints.filter((endpoint) => endpoint.endpoint !== key.rid) : [];
      const endpoint = { endpoint: key.rid, property: bytesToHex(backendDomidProperty(domid)) };
      return { ...scenario, channels: { ...scenario.channels, virtioIommu: { runBy: runBy(), endpoints: [...endpoints, endpoint] } } };
    },
    read(scenario, device) {
      const key = pciKey(device);
      const channel = scenario.channels.virtioIommu;
      if (!key || !channel || channel.runBy !== runBy()) return { kind: 'absent' };
      const found = channel.endpoints.filter((endpoint) => endpoint.endpoint === key.rid);
      if (found.length === 0) return { kind: 'absent' };
      if (found.length > 1) return { kind: 'malformed', reason: 'endpoint listed twice' };
      const bytes = hexToBytes(found[0]!.property);
      if (!bytes) return { kind: 'malformed', reason: 'property is not hex bytes' };
      const decoded = decodeVirtioIommuProbeXenBackendDomid(bytes);
      if (decoded.issues.length > 0) return { kind: 'malformed', reason: decoded.issues[0]!.message };
      return decoded.value.valid ? { kind: 'domid', domid: decoded.value.backendDomid } : { kind: 'absent' };
    },
  };
}
