import { describe, expect, it } from 'vitest';
import { hostilePublisher } from '../discovery/mechanism.ts';
import { buildScenario } from '../xen/toolstack.ts';
import { frontends } from './registry.ts';

const config = {
  domid: 1,
  type: 'pvh' as const,
  arch: 'arm' as const,
  virtio: [{ id: 'net', type: 'virtio,device1', transport: 'pci' as const, bdf: { segment: 0, bus: 0, device: 1, function: 0 }, backend: 3 }],
};

const trusting: [string, string][] = [
  ['trusts-vendor-data', 'vendor-data-capability'],
  ['trusts-device-register', 'device-register'],
  ['trusts-new-capability', 'virtio-capability'],
];

describe('frontends that trust a backend-written mechanism', () => {
  it.each(trusting)('%s follows an honest backend', (name, mechanism) => {
    const built = buildScenario(config, { publish: ['dt-iommu-map', mechanism] });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(frontends[name as keyof typeof frontends].decide(built.scenario)).toEqual([{ deviceId: 'net', outcome: 'grants', backendDomid: 3, mechanism }]);
  });

  it.each(trusting)('%s is redirected by a hostile backend while the reference is not', (name, mechanism) => {
    const built = buildScenario(config, { publish: ['dt-iommu-map', mechanism], publishers: { [mechanism]: hostilePublisher(9) } });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(frontends[name as keyof typeof frontends].decide(built.scenario)[0]).toMatchObject({ outcome: 'grants', backendDomid: 9 });
    expect(frontends.reference.decide(built.scenario)[0]).toMatchObject({ outcome: 'grants', backendDomid: 3, mechanism: 'dt-iommu-map' });
    // The grants it creates hand the guest's pages to the domain the backend chose.
    const mapped = frontends[name as keyof typeof frontends].map(built.scenario, { deviceId: 'net', buffers: [{ frame: 1, offset: 0, length: 1, direction: 'from-device', coherent: false }] });
    expect(mapped.mappings[0]!.grants[0]!.domid).toBe(9);
  });

  it('registers every built-in frontend under its name', () => {
    expect(Object.keys(frontends).sort()).toEqual(['linux-2026', 'linux-6.2', 'linux-6.5', 'linux-7.2', 'reference', 'trusts-device-register', 'trusts-new-capability', 'trusts-vendor-data']);
    for (const [name, frontend] of Object.entries(frontends)) expect(frontend.name).toBe(name);
  });
});
