import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { discoveryMechanisms } from '../discovery/registry.ts';
import { mechanismEntry, type MechanismId } from '../discovery/mechanism-catalogue.ts';
import { mechanismUnavailable, rootBusBridgeHasParent } from './platform-channels.ts';
import { buildScenario, resolveGrantUsage, virtioDeviceIdOf, type XlGuestConfig } from './toolstack.ts';

const validateScenario = compileSchemaFile(join(import.meta.dirname, '../../spec/schema/scenario.schema.json'));

function built(config: XlGuestConfig, options: Parameters<typeof buildScenario>[1] = {}) {
  const result = buildScenario(config, options);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
}

const slot = (device: number, fn = 0) => ({ segment: 0, bus: 0, device, function: fn });

describe('toolstack', () => {
  it('defaults grant_usage to "backend is not dom0", and an explicit value wins', () => {
    expect(resolveGrantUsage({})).toBe(false);
    expect(resolveGrantUsage({ backend: 0 })).toBe(false);
    expect(resolveGrantUsage({ backend: 4 })).toBe(true);
    expect(resolveGrantUsage({ backend: 0, grantUsage: true })).toBe(true);
    expect(resolveGrantUsage({ backend: 4, grantUsage: false })).toBe(false);
  });

  it('emits iommus only for devices that use grants, pointing at the xen,grant-dma node (phandle 65001)', () => {
    const scenario = built({
      domid: 2,
      type: 'pvh',
      arch: 'arm',
      virtio: [
        { id: 'dom0-backend', type: 'virtio,device2', transport: 'mmio' },
        { id: 'domu-backend', type: 'virtio,device2', transport: 'mmio', backend: 6 },
      ],
    });
    const tree = scenario.channels.deviceTree!;
    expect(tree.iommuNodes).toEqual([{ phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 }]);
    const [first, second] = scenario.devices;
    expect(first!.dtNode).toBe('virtio@2000000');
    expect(second!.dtNode).toBe('virtio@2000200');
    expect(tree.mmioNodes).toEqual([{ name: 'virtio@2000000' }, { name: 'virtio@2000200', iommus: [65001, 6] }]);
  });

  it('maps one RID per function by default: every function of a slot gets its own backend', () => {
    const scenario = built({
      domid: 2,
      type: 'pvh',
      arch: 'arm',
      virtio: [
        { id: 'f0', type: 'virtio,device1', transport: 'pci', bdf: slot(1, 0), backend: 5 },
        { id: 'f1', type: 'virtio,device1', transport: 'pci', bdf: slot(1, 1), backend: 5 },
      ],
    });
    expect(scenario.channels.deviceTree!.pciHostBridges).toEqual([
      {
        name: 'pcie-backend-5',
        iommuMap: [
          { ridBase: 0x08, phandle: 65001, domidBase: 5, length: 1 },
          { ridBase: 0x09, phandle: 65001, domidBase: 5, length: 1 },
        ],
      },
    ]);
  });

  it('reproduces the RFC length of 8, whose ranges overlap and whose arithmetic misnames function 1', () => {
    const scenario = built(
      {
        domid: 2,
        type: 'pvh',
        arch: 'arm',
        virtio: [{ id: 'f0', type: 'virtio,device1', transport: 'pci', bdf: slot(1, 0), backend: 5 }],
      },
      { iommuMapLength: 'rfc-slot' },
    );
    const [entry] = scenario.channels.deviceTree!.pciHostBridges[0]!.iommuMap!;
    expect(entry).toEqual({ ridBase: 0x08, phandle: 65001, domidBase: 5, length: 8 });
    // Binding arithmetic for function 1 (RID 0x09): 0x09 - 0x08 + 5 = 6, not the backend 5.
    const rid = 0x09;
    expect(rid - entry!.ridBase + entry!.domidBase).toBe(6);
  });

  it('writes iommu-map-mask and masked RID bases, so functions the mask merges share one entry', () => {
    const scenario = built(
      {
        domid: 2,
        type: 'pvh',
        arch: 'arm',
        virtio: [{ id: 'f3', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 1, device: 1, function: 3 }, backend: 5 }],
      },
      { iommuMapMask: 0xf8 },
    );
    // RID 0x010b masked with 0xf8 (slot bits only) is 0x08.
    expect(scenario.channels.deviceTree!.pciHostBridges).toEqual([
      { name: 'pcie-backend-5', iommuMapMask: 0xf8, iommuMap: [{ ridBase: 0x08, phandle: 65001, domidBase: 5, length: 1 }] },
    ]);
    expect(discoveryMechanisms['dt-iommu-map']!.read(scenario, scenario.devices[0]!)).toEqual({ kind: 'domid', domid: 5 });
  });

  it('gives an x86 guest no channel at all by default, and an ACPI root bus', () => {
    const scenario = built({ domid: 3, type: 'hvm', arch: 'x86', virtio: [{ id: 'n', type: 'virtio,device1', transport: 'pci', bdf: slot(3), backend: 4 }] });
    expect(scenario.channels).toEqual({});
    expect(scenario.devices[0]!.rootBusBridgeHasParent).toBe(false);
  });

  it('rejects unknown mechanisms and PCI devices without a BDF', () => {
    const result = buildScenario({ domid: 1, type: 'hvm', arch: 'x86', virtio: [{ id: 'x', type: 'virtio,device1', transport: 'pci' }] }, { publish: ['carrier-pigeon'] });
    expect(result).toEqual({ ok: false, problems: [{ code: 'unknown-mechanism', mechanism: 'carrier-pigeon' }, { code: 'pci-without-bdf', device: 'x' }] });
  });

  it('reads the virtio device ID from the xl type string', () => {
    expect(virtioDeviceIdOf('virtio,device1a')).toBe(0x1a);
    expect(virtioDeviceIdOf('virtio,device')).toBe(0);
  });

  it('builds only what a real platform has: no channel a guest lacks, pcifront buses with a parent for x86 PV domUs', () => {
    const pvDomU: XlGuestConfig = { domid: 4, type: 'pv', arch: 'x86', virtio: [{ id: 'p', type: 'virtio,device1', transport: 'pci', bdf: slot(1), backend: 2 }] };
    expect(buildScenario(pvDomU, { publish: ['acpi-table'] })).toMatchObject({ ok: false, problems: [{ code: 'unavailable-mechanism', mechanism: 'acpi-table' }] });
    expect(buildScenario(pvDomU, { publish: ['root-complex-register'] })).toMatchObject({ ok: false, problems: [{ code: 'unavailable-mechanism', mechanism: 'root-complex-register' }] });
    expect(buildScenario(pvDomU, { publish: ['dt-iommus'] })).toMatchObject({ ok: false, problems: [{ code: 'unavailable-mechanism', mechanism: 'dt-iommus' }] });
    expect(built(pvDomU, { publish: ['xenstore'] }).devices[0]!.rootBusBridgeHasParent).toBe(true);
    expect(built({ ...pvDomU, domid: 0, initialDomain: true }).devices[0]!.rootBusBridgeHasParent).toBe(false);
    expect(built({ ...pvDomU, type: 'hvm' }, { publish: ['acpi-table'] }).devices[0]!.rootBusBridgeHasParent).toBe(false);
    expect(buildScenario({ ...pvDomU, arch: 'arm' })).toMatchObject({ ok: false, problems: [{ code: 'pv-on-arm' }] });
    expect(rootBusBridgeHasParent({ arch: 'arm', type: 'pvh' })).toBe(true);
  });

  it('produces scenarios that validate against spec/schema/scenario.schema.json, with every channel published', () => {
    const everything = ['dt-iommus', 'dt-iommu-map', 'acpi-table', 'xenstore', 'root-complex-register', 'device-register', 'virtio-capability', 'vendor-data-capability', 'dummy-pci-device', 'virtio-iommu-trusted', 'boot-parameter'];
    const usable = (arch: 'x86' | 'arm') => everything.filter((id) => mechanismUnavailable(mechanismEntry(id as MechanismId), { arch, type: arch === 'arm' ? 'pvh' : 'hvm' }) === undefined);
    fc.assert(
      fc.property(
        fc.constantFrom('x86' as const, 'arm' as const),
        fc.integer({ min: 1, max: 0x7fef }),
        fc.uniqueArray(fc.record({ device: fc.integer({ min: 0, max: 30 }), fn: fc.integer({ min: 0, max: 7 }), backend: fc.integer({ min: 0, max: 0x7fef }), mmio: fc.boolean() }), { maxLength: 4, selector: (entry) => `${entry.device}.${entry.fn}` }),
        (arch, domid, devices) => {
          const scenario = built(
            {
              domid,
              type: arch === 'arm' ? 'pvh' : 'hvm',
              arch,
              virtio: devices.map((device, index) =>
                device.mmio
                  ? { id: `d${index}`, type: 'virtio,device2', transport: 'mmio' as const, backend: device.backend }
                  : { id: `d${index}`, type: 'virtio,device1', transport: 'pci' as const, bdf: slot(device.device, device.fn), backend: device.backend },
              ),
            },
            { publish: usable(arch) },
          );
          const valid = validateScenario(scenario);
          expect(validateScenario.errors ?? [], JSON.stringify(validateScenario.errors)).toEqual([]);
          expect(valid).toBe(true);
        },
      ),
      propertyParameters({ numRuns: 50 }),
    );
  });
});
