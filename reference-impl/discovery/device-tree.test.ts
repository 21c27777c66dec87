import { describe, expect, it } from 'vitest';
import type { Scenario, ScenarioDevice, ScenarioDeviceTree } from '../../generated/ts/schema/scenario.ts';
import { mapRequesterId, parseIommus } from './device-tree-of.ts';
import { readIommuMap, readIommus } from './device-tree.ts';

const grantDma = { phandle: 65001, compatible: ['xen,grant-dma'], iommuCells: 1 };

function mmio(tree: Partial<ScenarioDeviceTree>, iommus?: number[]): [Scenario, ScenarioDevice] {
  const device: ScenarioDevice = { id: 'm', transport: 'mmio', dtNode: 'n', deviceFeatures: '0x300000000', backendControlled: [] };
  const scenario: Scenario = {
    guest: { domid: 1, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [device],
    channels: { deviceTree: { iommuNodes: [grantDma], mmioNodes: [{ name: 'n', ...(iommus && { iommus }) }], pciHostBridges: [], ...tree } },
  };
  return [scenario, device];
}

function pci(bridge: ScenarioDeviceTree['pciHostBridges'][number], fn = 0): [Scenario, ScenarioDevice] {
  const device: ScenarioDevice = { id: 'p', transport: 'pci', bdf: { segment: 0, bus: 1, device: 2, function: fn }, rootBusBridgeHasParent: true, hostBridgeDtNode: bridge.name, deviceFeatures: '0x300000000', backendControlled: [] };
  const scenario: Scenario = {
    guest: { domid: 1, initialDomain: false, type: 'pvh', arch: 'arm', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [device],
    channels: { deviceTree: { iommuNodes: [grantDma, { phandle: 7, compatible: ['arm,smmu-v3'], iommuCells: 1 }], mmioNodes: [], pciHostBridges: [bridge] } },
  };
  return [scenario, device];
}

describe('strict device-tree readers', () => {
  it('read iommus: domid, absent, or malformed', () => {
    expect(readIommus(...mmio({}, [65001, 4]))).toEqual({ kind: 'domid', domid: 4 });
    expect(readIommus(...mmio({}))).toEqual({ kind: 'absent' });
    expect(readIommus(...mmio({ iommuNodes: [grantDma, { phandle: 7, compatible: ['arm,smmu-v3'], iommuCells: 1 }] }, [7, 4]))).toEqual({ kind: 'absent' });
    expect(readIommus(...mmio({}, [65002, 4]))).toMatchObject({ kind: 'malformed' });
    expect(readIommus(...mmio({}, [65001]))).toMatchObject({ kind: 'malformed' });
    expect(readIommus(...mmio({}, [65001, 0x1_0004]))).toMatchObject({ kind: 'malformed' });
    expect(readIommus(...mmio({ iommuNodes: [{ ...grantDma, iommuCells: 2 }] }, [65001, 4, 0]))).toMatchObject({ kind: 'malformed' });
    expect(readIommus(...mmio({ iommuNodes: [{ phandle: 65001, compatible: ['xen,grant-dma'] }] }, [65001, 4]))).toMatchObject({ kind: 'malformed' });
    const [scenario, device] = mmio({ mmioNodes: [] });
    expect(readIommus(scenario, device)).toMatchObject({ kind: 'malformed' });
  });

  it('looks the RID up in iommu-map after the mask (bus 1, device 2, function 1 = RID 0x0111)', () => {
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0111, phandle: 65001, domidBase: 9, length: 1 }] }, 1))).toEqual({ kind: 'domid', domid: 9 });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0110, phandle: 65001, domidBase: 9, length: 8 }] }, 1))).toEqual({ kind: 'domid', domid: 10 });
    // Mask 0xff00 keeps the bus only: every function of bus 1 maps to one backend.
    expect(readIommuMap(...pci({ name: 'b', iommuMapMask: 0xff00, iommuMap: [{ ridBase: 0x0100, phandle: 65001, domidBase: 9, length: 1 }] }, 1))).toEqual({ kind: 'domid', domid: 9 });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0200, phandle: 65001, domidBase: 9, length: 1 }] }))).toEqual({ kind: 'absent' });
    expect(readIommuMap(...pci({ name: 'b' }))).toEqual({ kind: 'absent' });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0110, phandle: 7, domidBase: 9, length: 1 }] }))).toEqual({ kind: 'absent' });
  });

  it('fails closed where Linux would wrap or guess', () => {
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [] }))).toMatchObject({ kind: 'malformed' });
    expect(readIommuMap(...pci({ name: 'b', iommuMapMask: 0xff00, iommuMap: [{ ridBase: 0x0110, phandle: 65001, domidBase: 9, length: 1 }] }))).toMatchObject({ kind: 'malformed' });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0110, phandle: 65009, domidBase: 9, length: 1 }] }))).toMatchObject({ kind: 'malformed' });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0x0110, phandle: 65001, domidBase: 0x1_0000, length: 1 }] }))).toMatchObject({ kind: 'malformed' });
    expect(readIommuMap(...pci({ name: 'b', iommuMap: [{ ridBase: 0xffff_fff0, phandle: 65001, domidBase: 1, length: 0x20 }] }))).toMatchObject({ kind: 'malformed' });
  });

  it('keeps Linux 32-bit arithmetic in the OF model: a range that wraps matches nothing', () => {
    const [scenario, device] = pci({ name: 'b', iommuMap: [{ ridBase: 0xffff_fff0, phandle: 65001, domidBase: 1, length: 0x20 }] });
    expect(mapRequesterId(scenario.channels.deviceTree!, scenario.channels.deviceTree!.pciHostBridges[0]!, 0x0110)).toEqual({ ok: true, kind: 'bypass', id: 0x0110 });
    void device;
    const [mmioScenario] = mmio({}, [65001, 1, 2, 3]);
    // Extra cells after the first specifier belong to further entries; index 0 only uses one.
    expect(parseIommus(mmioScenario.channels.deviceTree!, mmioScenario.channels.deviceTree!.mmioNodes[0]!)).toMatchObject({ ok: true, value: { args: [1] } });
  });
});
