import { describe, expect, it } from 'vitest';
import { decodeVirtioIommuProbeXenBackendDomid } from '../../../generated/ts/proposals/virtio-iommu-probe-xen-backend-domid.ts';
import { deviceOf, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { bytesToHex } from '../hex-bytes.ts';
import { backendDomidProperty, virtioIommuMechanism } from './virtio-iommu.ts';

const trusted = virtioIommuMechanism('virtio-iommu-trusted');
const backend = virtioIommuMechanism('virtio-iommu-backend');

describe('virtio-iommu', () => {
  it('answers PROBE with a backend-domid property whose length counts the bytes after the header', () => {
    const property = backendDomidProperty(3);
    const decoded = decodeVirtioIommuProbeXenBackendDomid(property);
    expect(decoded.issues).toEqual([]);
    expect(decoded.value).toMatchObject({ backendDomid: 3, valid: true, length: property.length - 4 });
  });

  it('is run by dom0 for the trusted mechanism and by the backend for the other, each reading only its own', () => {
    const { scenario } = publishedScenario('virtio-iommu-trusted');
    expect(scenario.channels.virtioIommu!.runBy).toBe('dom0');
    expect(scenario.channels.virtioIommu!.endpoints.map((endpoint) => endpoint.endpoint)).toEqual([netRequesterId]);
    expect(trusted.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(backend.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'absent' });
    expect(trusted.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
    const byBackend = publishedScenario('virtio-iommu-backend').scenario;
    expect(byBackend.channels.virtioIommu!.runBy).toBe('backend');
  });

  it('reads an endpoint listed twice, or a property that is not one, as malformed', () => {
    const { scenario } = publishedScenario('virtio-iommu-trusted');
    const net = deviceOf(scenario, 'net');
    const channel = scenario.channels.virtioIommu!;
    const withEndpoints = (endpoints: typeof channel.endpoints) => ({ ...scenario, channels: { ...scenario.channels, virtioIommu: { ...channel, endpoints } } });
    expect(trusted.read(withEndpoints([...channel.endpoints, ...channel.endpoints]), net)).toEqual({ kind: 'malformed', reason: 'endpoint listed twice' });
    expect(trusted.read(withEndpoints([{ endpoint: netRequesterId, property: 'nothex' }]), net)).toEqual({ kind: 'malformed', reason: 'property is not hex bytes' });
    expect(trusted.read(withEndpoints([{ endpoint: netRequesterId, property: bytesToHex(new Uint8Array(3)) }]), net)).toMatchObject({ kind: 'malformed' });
    expect(trusted.read(withEndpoints([]), net)).toEqual({ kind: 'absent' });
  });
});
