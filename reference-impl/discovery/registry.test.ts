import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { buildScenario, type XlGuestConfig } from '../xen/toolstack.ts';
import { hostilePublisher } from './mechanism.ts';
import { mechanismCatalogue } from './mechanism-catalogue.ts';
import { discoveryMechanisms, trustedMechanismIds } from './registry.ts';

const armGuest = (backend: number, grantUsage?: boolean): XlGuestConfig => ({
  domid: 7,
  type: 'pvh',
  arch: 'arm',
  virtio: [
    { id: 'net', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 0, device: 2, function: 0 }, backend, ...(grantUsage !== undefined && { grantUsage }) },
    { id: 'blk', type: 'virtio,device2', transport: 'mmio', backend, ...(grantUsage !== undefined && { grantUsage }) },
  ],
});

function scenarioWith(id: string, config: XlGuestConfig, publishers = {}): Scenario {
  const built = buildScenario(config, { publish: [id], publishers });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  return built.scenario;
}

/** Transports each mechanism can describe (rid-keyed and capability mechanisms need PCI). */
const pciOnly = new Set(['dt-iommu-map', 'dt-iommu-map-dom0less', 'common-config-field', 'acpi-table', 'root-complex-register', 'virtio-capability', 'vendor-data-capability', 'dummy-pci-device', 'virtio-iommu-trusted', 'virtio-iommu-backend']);
const mmioOnly = new Set(['dt-iommus']);

describe('discovery registry', () => {
  it('has exactly the mechanisms of spec/mechanisms.yaml, with their writers', () => {
    const catalogue = mechanismCatalogue();
    expect(Object.keys(discoveryMechanisms)).toEqual(catalogue.map((entry) => entry.id));
    for (const entry of catalogue) expect(discoveryMechanisms[entry.id]!.entry.writer).toBe(entry.writer);
    expect(trustedMechanismIds()).not.toContain('vendor-data-capability');
    expect(trustedMechanismIds()).toContain('dt-iommus');
  });

  // The dom0 constant and the dom0less map do not carry the assigned domid at all (tested below).
  const modelled = Object.values(discoveryMechanisms).filter((mechanism) => mechanism.modelled && mechanism.id !== 'dom0-default' && mechanism.id !== 'dt-iommu-map-dom0less');
  it.each(modelled.map((mechanism) => [mechanism.id, mechanism] as const))('%s: what the writer publishes is what a frontend reads', (id, mechanism) => {
    const scenario = scenarioWith(id, armGuest(3));
    for (const device of scenario.devices) {
      const applies = device.transport === 'pci' ? !mmioOnly.has(id) : !pciOnly.has(id);
      expect(mechanism.read(scenario, device), `${id} ${device.id}`).toEqual(applies ? { kind: 'domid', domid: 3 } : { kind: 'absent' });
    }
  });

  it.each(modelled.map((mechanism) => [mechanism.id, mechanism] as const))('%s: an honest writer publishes nothing without grants (grant_usage=0)', (id, mechanism) => {
    const scenario = scenarioWith(id, armGuest(3, false));
    for (const device of scenario.devices) expect(mechanism.read(scenario, device)).toEqual({ kind: 'absent' });
  });

  const backendWritten = Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.writer === 'backend' && mechanism.modelled);
  it('backend-written mechanisms are the ones a hostile backend can point anywhere', () => {
    expect(backendWritten.map((mechanism) => mechanism.id).sort()).toEqual(['common-config-field', 'device-register', 'vendor-data-capability', 'virtio-capability', 'virtio-iommu-backend']);
    for (const mechanism of backendWritten) {
      const scenario = scenarioWith(mechanism.id, armGuest(3), { [mechanism.id]: hostilePublisher(0x1234) });
      expect(mechanism.read(scenario, scenario.devices[0]!)).toEqual({ kind: 'domid', domid: 0x1234 });
    }
  });

  it('the dom0less map Xen writes gives each function its own requester id as domid, whatever the backend', () => {
    // Backend 3 for 00:02.0 (RID 0x10): <0x0 &xen_grant_dma 0x0 0x10000> yields 0x10 - 0x0 + 0x0.
    const scenario = scenarioWith('dt-iommu-map-dom0less', armGuest(3));
    const net = scenario.devices.find((device) => device.id === 'net')!;
    expect(discoveryMechanisms['dt-iommu-map-dom0less'].read(scenario, net)).toEqual({ kind: 'domid', domid: 0x10 });
    expect(scenario.channels.deviceTree!.pciHostBridges.find((bridge) => bridge.name === net.hostBridgeDtNode)).toEqual({
      name: net.hostBridgeDtNode,
      iommuMap: [{ ridBase: 0, phandle: 65001, domidBase: 0, length: 0x10000 }],
    });
    const atRidZero = scenarioWith('dt-iommu-map-dom0less', { ...armGuest(0, true), virtio: [{ id: 'rid0', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 0, device: 0, function: 0 }, backend: 0, grantUsage: true }] });
    expect(discoveryMechanisms['dt-iommu-map-dom0less'].read(atRidZero, atRidZero.devices[0]!)).toEqual({ kind: 'domid', domid: 0 });
  });

  it('the dom0 default answers domain 0 whatever the scenario says', () => {
    const scenario = scenarioWith('dt-iommus', armGuest(3));
    expect(discoveryMechanisms['dom0-default']!.read(scenario, scenario.devices[0]!)).toEqual({ kind: 'domid', domid: 0 });
  });

  it('does not take a backend-run virtio-iommu for the trusted one, or the reverse', () => {
    const trusted = scenarioWith('virtio-iommu-trusted', armGuest(3));
    const backend = scenarioWith('virtio-iommu-backend', armGuest(3));
    expect(discoveryMechanisms['virtio-iommu-backend']!.read(trusted, trusted.devices[0]!)).toEqual({ kind: 'absent' });
    expect(discoveryMechanisms['virtio-iommu-trusted']!.read(backend, backend.devices[0]!)).toEqual({ kind: 'absent' });
  });

  it('reports malformed text and bytes instead of guessing', () => {
    const scenario = scenarioWith('xenstore', armGuest(3));
    const path = Object.keys(scenario.channels.xenstore!)[0]!;
    const broken = { ...scenario, channels: { ...scenario.channels, xenstore: { [path]: '3x' } } };
    expect(discoveryMechanisms.xenstore!.read(broken, broken.devices[0]!)).toMatchObject({ kind: 'malformed' });
    const withParam = { ...scenario, guest: { ...scenario.guest, bootParameters: ['xen_virtio.backend_domid=-1'] } };
    expect(discoveryMechanisms['boot-parameter']!.read(withParam, withParam.devices[0]!)).toMatchObject({ kind: 'malformed' });
    const capability = scenarioWith('vendor-data-capability', armGuest(3));
    const device = capability.devices[0]!;
    // Corrupt the format byte of the capability: the reader reports it, never a domid.
    const bytes = device.configSpace!;
    const at = bytes.indexOf('09000c09');
    expect(at).toBeGreaterThan(0);
    const formatAt = at + 12;
    const corrupted = { ...device, configSpace: bytes.slice(0, formatAt) + '07' + bytes.slice(formatAt + 2) };
    expect(discoveryMechanisms['vendor-data-capability']!.read(capability, corrupted)).toMatchObject({ kind: 'malformed' });
  });
});
