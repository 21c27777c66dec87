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
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { mechanismById, type MechanismId } from '../../generated/ts/mechanisms.ts';
import { requesterIdOf } from '../../reference-impl/discovery/index.ts';
import { decodeXenDomidTable, encodeXenDomidTable } from '../../generated/ts/proposals/xen-domid-table.ts';
import { grantEntryV1Layout } from '../../generated/ts/xen/grant-entry-v1.ts';
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

/** Width of domid_t, from the v1 grant entry's domid field. */
const DOMID_T_BITS = grantEntryV1Layout.fields.find((field) => field.name === 'domid')!.bits;

const layoutOf = (id: MechanismId): string | undefined => mechanismById.get(id)?.layout;

function replaceDevice(scenario: Scenario, device: ScenarioDevice): Scenario {
  return { ...scenario, devices: scenario.devices.map((candidate) => (candidate.id === device.id ? device : candidate)) };
}

/** The published capability of a config-space mechanism, with its reserved bit set (way 0) or its cap_len cut to the header (way 1). */
function malformCapability(scenario: Scenario, device: ScenarioDevice, id: 'vendor-data-capability' | 'virtio-capability', way: number): Malformed | undefined {
  const config = device.configSpace === undefined ? undefined : hexToBytes(device.configSpace);
  if (!config) return undefined;
  const found = walkCapabilities(config).capabilities.find((capability) =>
    id === 'vendor-data-capability'
      ? capability.virtio?.cfgType === VirtioPciCfgType.VENDOR_CFG && capability.virtio.vendorId === XEN_VNDR_DATA_VENDOR_ID
      : capability.virtio?.cfgType === XEN_PROPOSAL_CFG_TYPE_BACKEND_DOMID && (capability.length ?? 0) >= XEN_BACKEND_DOMID_CAP_SIZE,
  );
  if (!found) return undefined;
  const bytes = config.slice();
  let reason: string | undefined;
  if (way % 2 === 1) {
    // cap_len covering the header up to cfg_type only: the domid lies outside the capability.
    bytes[found.offset + VIRTIO_PCI_CAP_OFFSETS.capLen] = VIRTIO_PCI_CAP_OFFSETS.bar;
    reason = `cap_len ${VIRTIO_PCI_CAP_OFFSETS.bar} cuts the ${id} short of its layout`;
  } else {
    reason = setReservedBit(bytes, found.offset, layoutOf(id));
  }
  return reason ? { scenario: replaceDevice(scenario, { ...device, configSpace: bytesToHex(bytes) }), devices: [device.id], reason } : undefined;
}

/** Text a domid-in-text channel (xenstore, command line) may hold that is not a usable domid: junk, empty, too wide, signed, hex. */
function badDomidTexts(value: string): string[] {
  return [`${value}x`, '', String(2 ** DOMID_T_BITS + Number(value)), `-${value}`, `0x${value}`];
}

/** How many ways of malforming each mechanism's publication there are (0: none). */
export function malformationWays(id: MechanismId): number {
  switch (id) {
    case 'xenstore':
    case 'boot-parameter':
      return badDomidTexts('0').length;
    case 'dt-iommu-map':
    case 'dt-iommu-map-dom0less':
      return 3;
    case 'vendor-data-capability':
    case 'virtio-capability':
    case 'dt-iommus':
    case 'acpi-table':
    case 'dummy-pci-device':
      return 2;
    default:
      return malformableMechanisms.includes(id) ? 1 : 0;
  }
}

/**
 * Breaks what mechanism `id` published for `device`; undefined when nothing was published for it or
 * the mechanism has no malformed form.
 */
export function malformPublication(id: MechanismId, scenario: Scenario, device: ScenarioDevice, way = 0): Malformed | undefined {
  switch (id) {
    case 'vendor-data-capability':
    case 'virtio-capability':
      return malformCapability(scenario, device, id, way);
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
      let reason: string | undefined;
      if (way % 2 === 1) {
        const table = decodeXenDomidTable(bytes).value;
        encodeXenDomidTable({ ...table, entryCount: table.entryCount + 1 }, bytes);
        reason = `entry_count ${table.entryCount + 1} promises one entry more than the table holds`;
      } else {
        reason = setReservedBit(bytes, 0, layoutOf(id));
      }
      // The table header is shared: every function it lists loses its source.
      const listed = scenario.devices.filter((candidate) => candidate.transport === 'pci').map((candidate) => candidate.id);
      return reason ? { scenario: { ...scenario, channels: { ...scenario.channels, dummyDevice: { ...channel, table: bytesToHex(bytes) } } }, devices: listed, reason } : undefined;
    }
    case 'xenstore': {
      const path = backendDomidPath(scenario.guest.domid, device);
      const value = scenario.channels.xenstore?.[path];
      if (value === undefined) return undefined;
      const texts = badDomidTexts(value);
      const bad = texts[way % texts.length]!;
      return { scenario: { ...scenario, channels: { ...scenario.channels, xenstore: { ...scenario.channels.xenstore, [path]: bad } } }, devices: [device.id], reason: `xenstore ${path} is '${bad}'` };
    }
    case 'boot-parameter': {
      const parameters = scenario.guest.bootParameters;
      const last = parameters.findLastIndex((parameter) => parameter.startsWith(BACKEND_DOMID_PARAMETER));
      if (last < 0) return undefined;
      const texts = badDomidTexts(parameters[last]!.slice(BACKEND_DOMID_PARAMETER.length));
      const bootParameters = parameters.map((parameter, index) => (index === last ? `${BACKEND_DOMID_PARAMETER}${texts[way % texts.length]!}` : parameter));
      // One parameter names the backend of every device.
      return { scenario: { ...scenario, guest: { ...scenario.guest, bootParameters } }, devices: scenario.devices.map((candidate) => candidate.id), reason: `boot parameter '${bootParameters[last]}'` };
    }
    case 'acpi-table': {
      const table = scenario.channels.acpi;
      if (!table || device.transport !== 'pci' || !device.bdf) return undefined;
      const rid = requesterIdOf(device.bdf);
      const entry = table.backendDomids.find((candidate) => candidate.segment === device.bdf!.segment && candidate.rid === rid);
      if (!entry) return undefined;
      if (way % 2 === 1) {
        const backendDomids = table.backendDomids.map((candidate) => (candidate === entry ? { ...entry, domid: 2 ** DOMID_T_BITS + entry.domid } : candidate));
        return { scenario: { ...scenario, channels: { ...scenario.channels, acpi: { backendDomids } } }, devices: [device.id], reason: `the ACPI table gives 0x${(2 ** DOMID_T_BITS + entry.domid).toString(16)}, wider than a domid` };
      }
      const backendDomids = [...table.backendDomids, { ...entry, domid: entry.domid + 1 }];
      return { scenario: { ...scenario, channels: { ...scenario.channels, acpi: { backendDomids } } }, devices: [device.id], reason: 'the ACPI table lists the function twice with different domids' };
    }
    case 'dt-iommus': {
      const tree = scenario.channels.deviceTree;
      const node = tree?.mmioNodes.find((candidate) => candidate.name === device.dtNode);
      if (!tree || !node?.iommus) return undefined;
      const wide = way % 2 === 1;
      const iommus = wide ? [node.iommus[0]!, 2 ** DOMID_T_BITS + (node.iommus[1] ?? 0)] : [0xdead, ...node.iommus.slice(1)];
      const mmioNodes = tree.mmioNodes.map((candidate) => (candidate === node ? { ...candidate, iommus } : candidate));
      return { scenario: { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, mmioNodes } } }, devices: [device.id], reason: wide ? `iommus cell 0x${iommus[1]!.toString(16)} is wider than a domid` : 'iommus names a phandle the tree lacks' };
    }
    case 'dt-iommu-map':
    case 'dt-iommu-map-dom0less': {
      const tree = scenario.channels.deviceTree;
      const bridge = tree?.pciHostBridges.find((candidate) => candidate.name === device.hostBridgeDtNode);
      if (!tree || !bridge?.iommuMap || bridge.iommuMap.length === 0) return undefined;
      // Way 1: specifiers wider than a domid; way 2: an entry whose id range runs past 32 bits; else a dangling phandle.
      const kind = way % 3;
      const broken = (entry: NonNullable<typeof bridge.iommuMap>[number]) =>
        kind === 1 ? { ...entry, domidBase: 2 ** DOMID_T_BITS + entry.domidBase } : kind === 2 ? { ...entry, ridBase: Math.max(entry.ridBase, 2), length: 0xffff_ffff } : { ...entry, phandle: 0xdead };
      const iommuMap = bridge.iommuMap.map(broken);
      if (kind === 2 && iommuMap.some((entry, index) => (entry.ridBase & ~(bridge.iommuMapMask ?? 0xffff_ffff)) !== 0 || entry.ridBase !== bridge.iommuMap![index]!.ridBase)) return malformPublication(id, scenario, device, 0);
      const pciHostBridges = tree.pciHostBridges.map((candidate) => (candidate === bridge ? { ...candidate, iommuMap } : candidate));
      const behind = scenario.devices.filter((candidate) => candidate.hostBridgeDtNode === bridge.name).map((candidate) => candidate.id);
      const reason = kind === 1 ? 'iommu-map gives specifiers wider than a domid' : kind === 2 ? 'an iommu-map entry covers ids past 32 bits' : 'iommu-map names a phandle the tree lacks';
      return { scenario: { ...scenario, channels: { ...scenario.channels, deviceTree: { ...tree, pciHostBridges } } }, devices: behind, reason };
    }
    default:
      return undefined;
  }
}

/** Mechanisms with a malformed form. */
export const malformableMechanisms: readonly MechanismId[] = [
  'dt-iommus',
  'dt-iommu-map',
  'dt-iommu-map-dom0less',
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
