import { describe, expect, it } from 'vitest';
import type { ScenarioDeviceTree, ScenarioPciHostBridge } from '../../generated/ts/schema/scenario.ts';
import {
  hostBridgeNamed,
  iommuMapCells,
  isGrantDmaNode,
  mapRequesterId,
  mapRequesterIdRespectingCells,
  mmioNodeNamed,
  nodeByPhandle,
  parseIommus,
  requesterIdOf,
  XEN_GRANT_DMA_COMPATIBLE,
} from './device-tree-of.ts';

const grantDma = { phandle: 0x10, compatible: [XEN_GRANT_DMA_COMPATIBLE], iommuCells: 1 };
const twoCells = { phandle: 0x20, compatible: ['arm,smmu-v3'], iommuCells: 2 };
const tree: ScenarioDeviceTree = { iommuNodes: [grantDma, twoCells, { phandle: 0x30, compatible: ['x'] }], mmioNodes: [], pciHostBridges: [] };
const bridge = (iommuMap: ScenarioPciHostBridge['iommuMap'], iommuMapMask?: number): ScenarioPciHostBridge => ({ name: 'pcie', ...(iommuMap && { iommuMap }), ...(iommuMapMask !== undefined && { iommuMapMask }) });

describe('phandles and iommus', () => {
  it('find nodes by phandle, phandle 0 being none', () => {
    expect(nodeByPhandle(tree, 0x10)).toBe(grantDma);
    expect(nodeByPhandle(tree, 0)).toBeUndefined();
    expect([isGrantDmaNode(grantDma), isGrantDmaNode(twoCells), isGrantDmaNode(undefined)]).toEqual([true, false, false]);
  });

  it('parse iommus = <&node cells...> as Linux does, each failure by its own code', () => {
    expect(parseIommus(tree, { name: 'v', iommus: [0x10, 3] })).toEqual({ ok: true, value: { target: grantDma, args: [3] } });
    expect(parseIommus(tree, { name: 'v' })).toEqual({ ok: false, code: 'no-property' });
    expect(parseIommus(tree, { name: 'v', iommus: [0, 3] })).toEqual({ ok: false, code: 'empty-phandle' });
    expect(parseIommus(tree, { name: 'v', iommus: [0x99, 3] })).toEqual({ ok: false, code: 'unknown-phandle' });
    expect(parseIommus(tree, { name: 'v', iommus: [0x30, 3] })).toEqual({ ok: false, code: 'no-cells-property' });
    expect(parseIommus(tree, { name: 'v', iommus: [0x20, 3] })).toEqual({ ok: false, code: 'too-short' });
  });
});

describe('iommu-map, as of_map_id reads it', () => {
  it('translates a requester id inside an entry to domid base plus its offset', () => {
    expect(mapRequesterId(tree, bridge([{ ridBase: 0x10, phandle: 0x10, domidBase: 3, length: 8 }]), 0x12)).toEqual({ ok: true, kind: 'translated', target: grantDma, id: 5 });
  });

  it('applies the mask before the lookup and refuses a base the mask cuts', () => {
    expect(mapRequesterId(tree, bridge([{ ridBase: 0x10, phandle: 0x10, domidBase: 3, length: 1 }], 0xfff8), 0x13)).toMatchObject({ kind: 'translated', id: 3 });
    expect(mapRequesterId(tree, bridge([{ ridBase: 0x11, phandle: 0x10, domidBase: 3, length: 1 }], 0xfff8), 0x11)).toEqual({ ok: false, code: 'mask-ignores-base' });
  });

  it('bypasses an id no entry covers, and refuses no map, an empty one, and an unknown target', () => {
    expect(mapRequesterId(tree, bridge([{ ridBase: 0x10, phandle: 0x10, domidBase: 3, length: 1 }]), 0x18)).toEqual({ ok: true, kind: 'bypass', id: 0x18 });
    expect(mapRequesterId(tree, bridge(undefined), 0x10)).toEqual({ ok: false, code: 'no-map' });
    expect(mapRequesterId(tree, bridge([]), 0x10)).toEqual({ ok: false, code: 'bad-length' });
    expect(mapRequesterId(tree, bridge([{ ridBase: 0, phandle: 0x99, domidBase: 3, length: 0x100 }]), 0x10)).toEqual({ ok: false, code: 'unknown-phandle' });
  });

  it('wraps around in 32 bits as Linux does', () => {
    expect(mapRequesterId(tree, bridge([{ ridBase: 0, phandle: 0x10, domidBase: 0xffffffff, length: 0x100 }]), 2)).toMatchObject({ id: 1 });
  });
});

describe('iommu-map, as Linux 7.2 reads it', () => {
  it('lays a map out as four cells per entry', () => {
    expect(iommuMapCells(bridge([{ ridBase: 1, phandle: 2, domidBase: 3, length: 4 }]))).toEqual([1, 2, 3, 4]);
    expect(iommuMapCells(bridge(undefined))).toBeUndefined();
  });

  it('translates through a one-cell target, and bypasses when there is no map', () => {
    expect(mapRequesterIdRespectingCells(tree, bridge([{ ridBase: 0x10, phandle: 0x10, domidBase: 3, length: 8 }]), 0x11)).toEqual({ ok: true, kind: 'translated', target: grantDma, args: [4] });
    expect(mapRequesterIdRespectingCells(tree, bridge(undefined), 0x11)).toEqual({ ok: true, kind: 'bypass' });
  });

  it('reads an old map of length-1 entries to a two-cell node as one-cell, and refuses a range with two cells', () => {
    expect(mapRequesterIdRespectingCells(tree, bridge([{ ridBase: 0x10, phandle: 0x20, domidBase: 3, length: 1 }]), 0x10)).toEqual({ ok: true, kind: 'translated', target: twoCells, args: [3] });
    const cells: ScenarioDeviceTree = { ...tree, iommuNodes: [{ phandle: 0x40, compatible: ['y'], iommuCells: 2 }] };
    // Cells as written: base 0, phandle 0x40, two out cells (3, 4), length 8.
    const raw = { name: 'pcie', iommuMap: [{ ridBase: 0, phandle: 0x40, domidBase: 3, length: 4 }, { ridBase: 8, phandle: 0x40, domidBase: 0, length: 0 }] };
    expect(mapRequesterIdRespectingCells(cells, raw, 2)).toEqual({ ok: false, code: 'range-with-cells' });
  });
});

describe('device lookups', () => {
  it('find a function requester id, the nodes a device names, and nothing for bad input', () => {
    expect(requesterIdOf({ bus: 1, device: 2, function: 3 })).toBe(0x113);
    expect(requesterIdOf({ bus: 256, device: 0, function: 0 })).toBeUndefined();
    const named: ScenarioDeviceTree = { ...tree, mmioNodes: [{ name: 'virtio@a000' }], pciHostBridges: [{ name: 'pcie' }] };
    expect(mmioNodeNamed(named, 'virtio@a000')).toEqual({ name: 'virtio@a000' });
    expect(hostBridgeNamed(named, 'pcie')).toEqual({ name: 'pcie' });
    expect([mmioNodeNamed(undefined, 'x'), hostBridgeNamed(named, undefined), hostBridgeNamed(named, 'other')]).toEqual([undefined, undefined, undefined]);
  });
});
