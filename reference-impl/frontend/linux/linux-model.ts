/**
 * Faithful models of Linux's grant DMA set-up for virtio (drivers/xen/grant-dma-ops.c and
 * virtio_features_ok, digest §5.5–§5.7), defects included: the column-A NULL dereference on a
 * parent-less root-bus bridge (an oops while probing stops the whole boot, so every device of the
 * guest is lost), the 32-bit DT cell silently truncated to a 16-bit domid without a reserved check,
 * no dom0 fallback once a DT node exists, the dom0 fallback in dom0 itself (columns A and B), the
 * 2026 guard that covers only the fallback, never the DT path, and from 7.2 on an iommu-map read
 * per `#iommu-cells`. Feature checks use the negotiated features (a balloon never negotiates
 * ACCESS_PLATFORM).
 */
import type { Decision } from '../../../generated/ts/schema/decision.ts';
import type { MapRequest } from '../../../generated/ts/schema/map-request.ts';
import type { MapResult } from '../../../generated/ts/schema/map-result.ts';
import type { Scenario, ScenarioDevice, ScenarioDeviceTree, ScenarioGuest } from '../../../generated/ts/schema/scenario.ts';
import { DOMID_INITIAL } from '../../../generated/ts/xen/xen-domid.ts';
import {
  hostBridgeNamed,
  isGrantDmaNode,
  mapRequesterId,
  mapRequesterIdRespectingCells,
  mmioNodeNamed,
  parseIommus,
  requesterIdOf,
} from '../../discovery/device-tree-of.ts';
import { isPvDomain } from '../../xen/domain.ts';
import { truncateToDomidT } from '../../xen/domid.ts';
import { missingGrantFeatures } from '../features.ts';
import type { Frontend } from '../frontend.ts';
import { mapForDecision } from '../grant-mapper.ts';
import type { LinuxVersion } from './linux-versions.ts';
import { negotiatedFeatures } from './negotiation.ts';

const emptyTree: ScenarioDeviceTree = { iommuNodes: [], mmioNodes: [], pciHostBridges: [] };

/** xen_virtio_restricted_mem_acc is installed as the virtio mem-acc callback (digest §5.6). */
export function memAccCallbackInstalled(guest: ScenarioGuest): boolean {
  if (!guest.kernel.xenVirtio) return false;
  if (guest.arch === 'arm') return true;
  return guest.type === 'pv' || guest.kernel.forceGrant;
}

/** What xen_dt_get_node() gives for a device: a DT node, none, or a NULL dereference. */
type DtNode = { kind: 'node' } | { kind: 'none' } | { kind: 'oops' };

function dtGetNode(version: LinuxVersion, device: ScenarioDevice): DtNode {
  if (device.transport === 'mmio') return device.dtNode === undefined ? { kind: 'none' } : { kind: 'node' };
  if (device.rootBusBridgeHasParent !== true) return version.rootBridgeParentCheck ? { kind: 'none' } : { kind: 'oops' };
  return device.hostBridgeDtNode === undefined ? { kind: 'none' } : { kind: 'node' };
}

/** xen_dt_grant_init_backend_domid: the domid from the DT, or why there is none (-ESRCH). */
function dtBackendDomid(version: LinuxVersion, scenario: Scenario, device: ScenarioDevice): { domid: number; mechanism: string } | { failed: string } {
  const tree = scenario.channels.deviceTree ?? emptyTree;
  if (device.transport === 'pci') {
    const name = device.hostBridgeDtNode!;
    const bridge = hostBridgeNamed(tree, name) ?? { name };
    const rid = device.bdf && requesterIdOf(device.bdf);
    if (rid === undefined) return { failed: 'bad bdf' };
    if (version.ofMapIdRespectsCells) {
      const spec = mapRequesterIdRespectingCells(tree, bridge, rid);
      if (!spec.ok) return { failed: `Cannot translate ID (${spec.code})` };
      // A bypass leaves the target unset; the compatibility check on it fails.
      if (spec.kind === 'bypass' || !isGrantDmaNode(spec.target) || spec.args.length !== 1) return { failed: 'Incompatible IOMMU node' };
      return { domid: truncateToDomidT(spec.args[0]!), mechanism: 'dt-iommu-map' };
    }
    const mapped = mapRequesterId(tree, bridge, rid);
    if (!mapped.ok) return { failed: `Cannot translate ID (${mapped.code})` };
    if (mapped.kind === 'bypass') return { failed: 'no iommu-map translation: Incompatible IOMMU node' };
    if (!isGrantDmaNode(mapped.target)) return { failed: 'Incompatible IOMMU node' };
    return { domid: truncateToDomidT(mapped.id), mechanism: 'dt-iommu-map' };
  }
  const name = device.dtNode!;
  const parsed = parseIommus(tree, mmioNodeNamed(tree, name) ?? { name });
  if (!parsed.ok) return { failed: `Cannot parse iommus property (${parsed.code})` };
  if (!isGrantDmaNode(parsed.value.target) || parsed.value.args.length !== 1) return { failed: 'Incompatible IOMMU node' };
  return { domid: truncateToDomidT(parsed.value.args[0]!), mechanism: 'dt-iommus' };
}

/** The decision one Linux version makes for one device. */
export function linuxDecide(version: LinuxVersion, scenario: Scenario, device: ScenarioDevice): Decision {
  const { guest } = scenario;
  const deviceId = device.id;
  if (!memAccCallbackInstalled(guest)) {
    return { deviceId, outcome: 'no-grants', reason: 'xen_virtio_restricted_mem_acc not installed: platform DMA' };
  }
  const node = dtGetNode(version, device);
  if (node.kind === 'oops') {
    return { deviceId, outcome: 'crash', reason: 'NULL dereference in xen_dt_get_node(): root-bus bridge has no parent' };
  }
  let granted: { domid: number; mechanism: string };
  if (node.kind === 'node') {
    const fromTree = dtBackendDomid(version, scenario, device);
    // A DT node without usable xen,grant-dma information means no grants: there is no fallback.
    if ('failed' in fromTree) return { deviceId, outcome: 'no-grants', reason: `DT node present: ${fromTree.failed}` };
    granted = fromTree;
  } else {
    const fallbackAllowed = !(version.initialDomainGuard && guest.initialDomain);
    if (!(fallbackAllowed && (guest.kernel.forceGrant || isPvDomain(guest)))) {
      return { deviceId, outcome: 'no-grants', reason: 'no DT node and no dom0 fallback (-ENODEV from the lookup)' };
    }
    granted = { domid: DOMID_INITIAL, mechanism: 'dom0-default' };
  }
  const missing = missingGrantFeatures(negotiatedFeatures(device));
  if (missing.length > 0) {
    return { deviceId, outcome: 'refused', mechanism: granted.mechanism, reason: `VIRTIO_F_${missing[0]} not negotiated: device must provide it (-ENODEV)` };
  }
  const self = granted.domid === guest.domid ? '; grants to its own domid: virtqueues hang' : '';
  return { deviceId, outcome: 'grants', backendDomid: granted.domid, mechanism: granted.mechanism, reason: `grant DMA ops towards domid ${granted.domid}${self}` };
}

/**
 * The decisions for a whole guest: an oops while probing one device kills the task probing it, which
 * at boot is init, so the guest panics and no device of it is usable.
 */
export function linuxDecideGuest(version: LinuxVersion, scenario: Scenario): Decision[] {
  const decisions = scenario.devices.map((device) => linuxDecide(version, scenario, device));
  const oops = decisions.find((decision) => decision.outcome === 'crash');
  if (!oops) return decisions;
  return decisions.map((decision) => (decision.outcome === 'crash' ? decision : { deviceId: decision.deviceId, outcome: 'crash', reason: `the guest panicked: probing ${oops.deviceId} oopsed` }));
}

/** Mechanisms Linux reads: the two device-tree forms and the implicit dom0 fallback. */
export const linuxMechanisms = ['dt-iommus', 'dt-iommu-map', 'dom0-default'] as const;

/** A Linux model as a {@link Frontend}. */
export function createLinuxFrontend(version: LinuxVersion): Frontend {
  const decide = (scenario: Scenario): Decision[] => linuxDecideGuest(version, scenario);
  return {
    name: version.name,
    mechanisms: linuxMechanisms,
    decide,
    map(scenario: Scenario, request: MapRequest): MapResult {
      const decision = decide(scenario).find((candidate) => candidate.deviceId === request.deviceId);
      return mapForDecision(scenario, decision, request);
    },
  };
}
