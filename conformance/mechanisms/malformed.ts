/**
 * Present but malformed publications, one way per mechanism, for the fail-closed column: the
 * artefact a mechanism's writer published for a device is broken so that its format rules it out —
 * reserved bits set in a proposal layout (found through the generated layout metadata, not typed
 * here), a text value that is not a domid, a table listing the device twice with different domids,
 * a device-tree reference to a phandle the tree lacks. Mechanisms whose channel cannot be malformed
 * from the guest's view (a register the hypervisor answers, a constant) have none.
 */
import type { FieldMeta, LayoutMeta } from '../../core/codec-runtime.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import { XEN_BACKEND_DOMID_CAP_SIZE } from '../../generated/ts/proposals/xen-backend-domid-cap.ts';
import { XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID, XEN_VNDR_DATA_VENDOR_ID } from '../../generated/ts/proposals/xen-domid-proposals.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { mechanismById, type MechanismId } from '../../generated/ts/mechanisms.ts';
import { requesterIdOf } from '../../reference-impl/discovery/index.ts';
import { backendDomidPath } from '../../reference-impl/discovery/index.ts';
import { BACKEND_DOMID_PARAMETER } from '../../reference-impl/discovery/index.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import { bytesToHex, hexToBytes } from '../frontend/arbitraries.ts';

/** A malformed scenario and the devices whose source it broke. */
export interface Malformed {
  scenario: Scenario;
  devices: string[];
  reason: string;
}

/** The first reserved-zero field of a layout that must be 0, by the generated metadata. */
function reservedZeroField(layout: LayoutMeta): FieldMeta | undefined {
  return layout.fields.find((field) => field.access === 'RsvdZ' && field.type === 'uint' && field.bits > 0 && field.constraints?.const === 0);
}

/** Sets the lowest bit of the layout's reserved-zero field in `bytes` at `base`; false when there is none. */
function setReservedBit(bytes: Uint8Array, base: number, layoutName: string | undefined): string | undefined {
  const layout = layoutName ? layoutCodecs[layoutName]?.meta : undefined;
  const field = layout && reservedZeroField(layout);
  if (!field) return undefined;
  const at = base + field.offset + Math.floor(field.bit / 8);
  if (at >= bytes.length) return undefined;
  bytes[at]! |= 1 << (field.bit % 8);
  return `${layout.name}.${field.specName} is not zero`;
}

const layoutOf = (id: MechanismId): string | undefined => mechanismById.get(id)?.layout;

function replaceDevice(scenario: Scenario, device: ScenarioDevice): Scenario {
  return { ...scenario, devices: scenario.devices.map((candidate) => (candidate.id === device.id ? device : candidate)) };
}

/** The published capability of a config-space mechanism, with its reserved bit set. */
function malformCapability(scenario: Scenario, device: ScenarioDevice, id: 'vendor-data-capability' | 'virtio-capability'): Malformed | undefined {
  const config = device.configSpace === undefined ? undefined : hexToBytes(device.configSpace);
  if (!config) return undefined;
  const found = walkCapabilities(config).capabilities.find((capability) =>
    id === 'vendor-data-capability'
      ? capability.virtio?.cfgType === VirtioPciCfgType.VENDOR_CFG && capability.virtio.vendorId === XEN_VNDR_DATA_VENDOR_ID
      : capability.virtio?.cfgType === XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID && (capability.length ?? 0) >= XEN_BACKEND_DOMID_CAP_SIZE,
  );
  if (!found) return undefined;
  const bytes = config.slice();
  const reason = setReservedBit(bytes, found.offset, layoutOf(id));
  return reason ? { scenario: replaceDevice(scenario, { ...device, configSpace: bytesToHex(bytes) }), devices: [device.id], reason } : undefined;
}

/**
 * Breaks what mechanism `id` published for `device`; undefined when nothing was published for it or
 * the mechanism has no malformed form.
 */
export function malformPublication(id: MechanismId, scenario: Scenario, device: ScenarioDevice): Malformed | undefined {
  switch (id) {
    case 'vendor-data-capability':
    case 'virtio-capability':
      return malformCapability(scenario, device, id);
    case 'device-register': {
      const config = hexToBytes(device.deviceConfig ?? '');
      const size = layoutCodecs[layoutOf(id) ?? '']?.meta.size ?? 0;
      if (!config || size === 0 || config.length < size) return undefined;
      const bytes = config.slice();
      const reason = setReservedBit(bytes, bytes.length - size, layoutOf(id));
      return reason ? { scenario: replaceDevice(scenario, { ...device, deviceConfig: bytesToHex(bytes) }), devices: [device.id], reason } : undefined;
    }
    case 'virtio-iommu-trusted':
    case 'virtio-iommu-backend': {
      const channel = scenario.channels.virtioIommu;
      if (!channel || device.transport !== 'pci' || !device.bdf) return undefined;
      const rid = requesterIdOf(device.bdf);
      let reason: string | undefined;
      const endpoints = channel.endpoints.map((endpoint) => {
        if (endpoint.endpoint !== rid) return endpoint;
        const bytes = hexToBytes(endpoint.property);
        if (!bytes) return endpoint;
        reason = setReservedBit(bytes, 0, layoutOf(id));
        return { ...endpoint, property: bytesToHex(bytes) };
      });
      return reason ? { scenario: { ...scenario, channels: { ...scenario.channels, virtioIommu: { ...channel, endpoints } } }, devices: [device.id], reason } : undefined;
    }
    case 'dummy-pci-device': {
      const channel = scenario.channels.dummyDevice;
      const bytes = channel && hexToBytes(channel.table);
      if (!channel || !bytes) return undefined;
      const reason = setReservedBit(bytes, 0, layoutOf(id));
      // The table header is shared: every function it lists loses its source.
      const listed = scenario.devices.filter((candidate) => candidate.transport === 'pci').map((candidate) => candidate.id);
      return reason ? { scenario: { ...scenario, channels: { ...scenario.channels, dummyDevice: { ...channel, table: bytesToHex(bytes) } } }, devices: listed, reason } : undefined;
    }
    case 'xenstore': {
      const path = backendDomidPath(scenario.guest.domid, device);
      const value = scenario.channels.xenstore?.[path];
      if (value === undefined) return undefined;
      return { scenario: { ...scenario, channels: { ...scenario.channels, xenstore: { ...scenario.channels.xenstore, [path]: `${value}x` } } }, devices: [device.id], reason: `xenstore ${path} is '${value}x'` };
    }
    case 'boot-parameter': {
      const parameters = scenario.guest.bootParameters;
      const last = parameters.findLastIndex((parameter) => parameter.startsWith(BACKEND_DOMID_PARAMETER));
      if (last < 0) return undefined;
      const bootParameters = parameters.map((parameter, index) => (index === last ? `${parameter}x` : parameter));
      // One parameter names the backend of every device.
      return { scenario: { ...scenario, guest: { ...scenario.guest, bootParameters } }, devices: scenario.devices.map((candidate) => candidate.id), reason: `boot parameter '${bootParameters[last]}'` };
    }
    case 'acpi-table': {
      const table = scenario.channels.acpi;
      if (!table || device.transport !== 'pci' || !device.bdf) return undefined;
      const rid = requesterIdOf(device.bdf);
      const entry = table.backendDomids.find((candidate) => candidate.segment === device.bdf!.segment && candidate.rid === rid);
      if (!entry) return undefined;
      const backendDomids = [...table.backendDomids, { ...entry, domid: entry.domid + 1 }];
      return { scenario: { ...scenario, channels: { ...scenario.channels, acpi: { backendDomids } } }, devices: [device.id], reason: 'the ACPI table lists the function twice with different domids' };
    }
    case 'dt-iommus': {
      const tree = scenario.channels.deviceTree;
      const node = tree?.mmioNodes.find((candidate) => candidate.name === device.dtNode);
      if (!tree || !node?.iommus) return undefined;
      const mmioNodes = tree.mmioNodes.map((candidate) => (candidate === node ? { ...candidate, iommus: [0xdead, ...node.iommus!.slice(1)] } : candidate));
      return { scenario: { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, mmioNodes } } }, devices: [device.id], reason: 'iommus names a phandle the tree lacks' };
    }
    case 'dt-iommu-map': {
      const tree = scenario.channels.deviceTree;
      const bridge = tree?.pciHostBridges.find((candidate) => candidate.name === device.hostBridgeDtNode);
      if (!tree || !bridge?.iommuMap || bridge.iommuMap.length === 0) return undefined;
      const pciHostBridges = tree.pciHostBridges.map((candidate) => (candidate === bridge ? { ...candidate, iommuMap: bridge.iommuMap!.map((entry) => ({ ...entry, phandle: 0xdead })) } : candidate));
      const behind = scenario.devices.filter((candidate) => candidate.hostBridgeDtNode === bridge.name).map((candidate) => candidate.id);
      return { scenario: { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, pciHostBridges } } }, devices: behind, reason: 'iommu-map names a phandle the tree lacks' };
    }
    default:
      return undefined;
  }
}

/** Mechanisms with a malformed form. */
export const malformableMechanisms: readonly MechanismId[] = [
  'dt-iommus',
  'dt-iommu-map',
  'acpi-table',
  'xenstore',
  'device-register',
  'virtio-capability',
  'vendor-data-capability',
  'dummy-pci-device',
  'virtio-iommu-trusted',
  'virtio-iommu-backend',
  'boot-parameter',
];
