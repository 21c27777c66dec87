/**
 * Mutants of the reference frontend: each is the reference with one rule broken the way a real
 * frontend could break it (trust a backend channel, fall back to dom0, truncate a cell, skip the
 * reserved-domid check, share a grant reference, drop read-only, ...), and each names the property
 * that must kill it. The kill matrix (kill-matrix.ts) runs every property on every mutant; a property
 * that kills nothing, or a mutant its named property lets live, means the suite lost power.
 *
 * The conformant subject is the reference plus a cross-check a frontend may add: it refuses a device
 * whose own backend-domid capability contradicts the trusted source. That gives the capability walk
 * something to decide on, so the walk mutants (one broken rule each) can show.
 */
import type { Decision } from '../../../generated/ts/schema/decision.ts';
import type { MapRequest } from '../../../generated/ts/schema/map-request.ts';
import type { MapResult } from '../../../generated/ts/schema/map-result.ts';
import type { Scenario, ScenarioDevice, ScenarioDeviceTree } from '../../../generated/ts/schema/scenario.ts';
import { mechanisms, type MechanismId } from '../../../generated/ts/mechanisms.ts';
import { DOMID_FIRST_RESERVED, DOMID_INITIAL } from '../../../generated/ts/xen/xen-domid.ts';
import { GUEST_PHANDLE_IOMMU, XEN_GRANT_DMA_IOMMU_CELLS } from '../../../generated/ts/xen/xen-toolstack.ts';
import { GNTTAB_NR_RESERVED_ENTRIES } from '../../../generated/ts/xen/grant-table.ts';
import { XEN_GRANT_DMA_ADDR_OFF, XEN_PAGE_SHIFT } from '../../../generated/ts/xen/xen-grant-dma-addr.ts';
import { discoveryMechanisms, grantDmaNode, type DiscoveryMechanism } from '../../../reference-impl/discovery/index.ts';
import { mapForDecision, missingGrantFeatures, parseFeatures, type Frontend } from '../../../reference-impl/frontend/index.ts';
import { DOMID_T_MAX } from '../../../reference-impl/xen/index.ts';
import { hexToBytes } from '../../frontend/arbitraries.ts';
import { v1FrameBits } from '../../frontend/boundaries.ts';
import { grantLayout } from '../../frontend/invariants.ts';
import type { FrontendPropertyId } from '../../frontend/properties.ts';
import { claimedDomid, conformantWalk, type WalkRules } from './capability-walker.ts';

/** How a mutant departs from the reference (every field absent: the conformant subject). */
export interface Defects {
  /** Backend-written mechanisms read as if they were trusted. */
  trusts?: MechanismId[];
  /** No trusted source and FORCE_GRANT or PV: grants to domain 0, in dom0 too. */
  dom0Fallback?: boolean;
  /** A device-tree cell wider than a domid is cut to 16 bits instead of refused. */
  truncateCells?: boolean;
  /** The xen,grant-dma node's #iommu-cells is not looked at. */
  ignoreIommuCells?: boolean;
  /** A device-tree reference to a missing node or another IOMMU is read as if it named xen,grant-dma. */
  followBrokenReference?: boolean;
  /** Domids from DOMID_FIRST_RESERVED up are used. */
  allowReserved?: boolean;
  /** The guest's own domid is used. */
  allowSelf?: boolean;
  /** VERSION_1 and ACCESS_PLATFORM are not required. */
  skipPlatformAccess?: boolean;
  /** Feature bits above the known ones make it refuse the device. */
  refuseUnknownFeatures?: boolean;
  /** iommu-map looked up with function 0's requester id. */
  functionZeroRid?: boolean;
  /** The domid found, plus one. */
  offByOne?: boolean;
  /** Of several trusted sources, the first one that names a domid wins. */
  firstSourceWins?: boolean;
  /** Broken rules of the capability walk of the cross-check. */
  walk?: Partial<WalkRules>;
  /** Broken grant bookkeeping. */
  mapping?: 'share-refs' | 'reserved-refs' | 'writable' | 'own-domid' | 'drop-offset' | 'truncate-frames';
}

/** A mutant: its name, what it breaks, and the property that must kill it. */
export interface Mutant {
  name: string;
  defect: string;
  killedBy: FrontendPropertyId | 'disagreeing-sources' | 'ignores-undeclared';
  /** What the mutant claims to read (start answer); the reference's sources unless it lies. */
  declared?: MechanismId[];
  defects: Defects;
}

/** The reference's sources: trusted writers, no constant. */
const referenceSources = (): DiscoveryMechanism[] => Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.trusted && mechanism.entry.writer !== 'constant');

/** The device tree as a mutant sees it: its defects rewrite the tree before the strict readers look. */
function mutantTree(tree: ScenarioDeviceTree, defects: Defects): ScenarioDeviceTree {
  let result = tree;
  if (defects.ignoreIommuCells) {
    result = {
      ...result,
      iommuNodes: result.iommuNodes.map((node) => (node.compatible.includes(grantDmaNode().compatible[0]!) ? { ...node, iommuCells: XEN_GRANT_DMA_IOMMU_CELLS } : node)),
      mmioNodes: result.mmioNodes.map((node) => (node.iommus && node.iommus.length > 2 ? { ...node, iommus: node.iommus.slice(0, 2) } : node)),
    };
  }
  if (defects.truncateCells) {
    result = {
      ...result,
      mmioNodes: result.mmioNodes.map((node) => (node.iommus && node.iommus.length > 1 ? { ...node, iommus: [node.iommus[0]!, node.iommus[1]! & DOMID_T_MAX, ...node.iommus.slice(2)] } : node)),
      pciHostBridges: result.pciHostBridges.map((bridge) => (bridge.iommuMap ? { ...bridge, iommuMap: bridge.iommuMap.map((entry) => ({ ...entry, domidBase: entry.domidBase & DOMID_T_MAX })) } : bridge)),
    };
  }
  if (defects.followBrokenReference) {
    const grantDma = result.iommuNodes.some((node) => node.phandle === GUEST_PHANDLE_IOMMU) ? result.iommuNodes : [...result.iommuNodes, grantDmaNode()];
    const good = new Set(grantDma.filter((node) => node.compatible.includes(grantDmaNode().compatible[0]!)).map((node) => node.phandle));
    const fix = (phandle: number) => (good.has(phandle) ? phandle : GUEST_PHANDLE_IOMMU);
    result = {
      ...result,
      iommuNodes: grantDma,
      mmioNodes: result.mmioNodes.map((node) => (node.iommus && node.iommus.length > 0 ? { ...node, iommus: [fix(node.iommus[0]!), ...node.iommus.slice(1)] } : node)),
      pciHostBridges: result.pciHostBridges.map((bridge) => (bridge.iommuMap ? { ...bridge, iommuMap: bridge.iommuMap.map((entry) => ({ ...entry, phandle: fix(entry.phandle) })) } : bridge)),
    };
  }
  return result;
}

/** The decision of the reference with `defects` for one device. */
function decide(defects: Defects, scenario: Scenario, original: ScenarioDevice): Decision {
  const deviceId = original.id;
  const refuse = (reason: string, mechanism?: string): Decision => ({ deviceId, outcome: 'refused', ...(mechanism && { mechanism }), reason });
  const features = parseFeatures(original.deviceFeatures);
  if (features === undefined) return refuse('device features are not a 64-bit hex word');
  if (defects.refuseUnknownFeatures && features >> 44n !== 0n) return refuse('offers features this frontend does not know');
  const tree = scenario.channels.deviceTree;
  const seen: Scenario = tree ? { ...scenario, channels: { ...scenario.channels, deviceTree: mutantTree(tree, defects) } } : scenario;
  const device = defects.functionZeroRid && original.bdf ? { ...original, bdf: { ...original.bdf, function: 0 } } : original;
  const sources = [...referenceSources(), ...(defects.trusts ?? []).map((id) => discoveryMechanisms[id])];
  const found: { mechanism: string; domid: number }[] = [];
  for (const mechanism of sources) {
    const reading = mechanism.read(seen, device);
    if (reading.kind === 'malformed') return refuse(`trusted source ${mechanism.id} is malformed: ${reading.reason}`, mechanism.id);
    if (reading.kind === 'domid') found.push({ mechanism: mechanism.id, domid: reading.domid });
    if (defects.firstSourceWins && found.length > 0) break;
  }
  if (new Set(found.map((source) => source.domid)).size > 1) return refuse('trusted sources disagree');
  let chosen = found[0];
  if (!chosen) {
    const fallback = defects.dom0Fallback && (scenario.guest.kernel.forceGrant || (scenario.guest.type === 'pv' && scenario.guest.arch === 'x86'));
    if (!fallback) return scenario.guest.kernel.forceGrant ? refuse('grants are required but no trusted source names a backend') : { deviceId, outcome: 'no-grants' };
    chosen = { mechanism: 'dom0-default', domid: DOMID_INITIAL };
  }
  const domid = defects.offByOne ? chosen.domid + 1 : chosen.domid;
  if (!defects.allowReserved && (domid < 0 || domid >= DOMID_FIRST_RESERVED)) return refuse(`domid ${domid} is reserved`, chosen.mechanism);
  if (domid > DOMID_T_MAX) return refuse(`domid ${domid} does not fit domid_t`, chosen.mechanism);
  if (!defects.allowSelf && domid === scenario.guest.domid) return refuse(`domid ${domid} is the guest's own`, chosen.mechanism);
  if (!defects.skipPlatformAccess && missingGrantFeatures(features).length > 0) return refuse('device lacks VERSION_1 or ACCESS_PLATFORM', chosen.mechanism);
  // The cross-check: a device whose own capability names another backend is not used.
  const config = original.configSpace === undefined ? undefined : hexToBytes(original.configSpace);
  if (config) {
    const verdict = claimedDomid(config, { ...conformantWalk, ...defects.walk });
    if (verdict.kind === 'endless') return { deviceId, outcome: 'crash', reason: 'the capability walk never ends' };
    if (verdict.kind === 'too-long') return refuse(`a structure of 0x${verdict.length.toString(16)} bytes is more than it maps`);
    if (verdict.kind === 'claims' && verdict.domid !== domid) return refuse(`the device claims backend ${verdict.domid}, the trusted source says ${domid}`);
  }
  return { deviceId, outcome: 'grants', backendDomid: domid, mechanism: chosen.mechanism };
}

/** grant_to_dma(ref) + offset, for a mapping that rewrites references. */
const address = (ref: number, offset: number) => `0x${(XEN_GRANT_DMA_ADDR_OFF | (BigInt(ref) << BigInt(XEN_PAGE_SHIFT)) | BigInt(offset)).toString(16)}`;

/** The reference's mapping, then the mutant's bookkeeping defect applied. */
function map(defects: Defects, scenario: Scenario, decision: Decision | undefined, request: MapRequest): MapResult {
  const kind = defects.mapping;
  if (kind === 'truncate-frames' && decision?.outcome === 'grants') {
    // Never refuses: every frame goes into the entry, cut to its 32 bits.
    let ref = GNTTAB_NR_RESERVED_ENTRIES;
    const mappings = request.buffers.map((buffer) => {
      const layout = grantLayout(buffer);
      const first = ref;
      const grants = Array.from({ length: layout.pages }, (_, page) => ({ ref: ref++, domid: decision.backendDomid!, frame: (buffer.frame + page) % 2 ** v1FrameBits, readonly: layout.readonly }));
      return { dmaAddress: address(first, layout.offset), grants };
    });
    return { deviceId: request.deviceId, outcome: 'mapped', mappings };
  }
  const result = mapForDecision(scenario, decision, request);
  if (!kind || result.outcome !== 'mapped') return result;
  const firstRef = result.mappings[0]?.grants[0]?.ref ?? GNTTAB_NR_RESERVED_ENTRIES;
  const mappings = result.mappings.map((mapping, index) => {
    const buffer = request.buffers[index]!;
    const layout = grantLayout(buffer);
    switch (kind) {
      case 'share-refs':
        // Every buffer starts again at the first buffer's reference.
        return { dmaAddress: address(firstRef, layout.offset), grants: mapping.grants.map((grant, page) => ({ ...grant, ref: firstRef + page })) };
      case 'reserved-refs':
        return { dmaAddress: address(mapping.grants[0]!.ref - GNTTAB_NR_RESERVED_ENTRIES, layout.offset), grants: mapping.grants.map((grant) => ({ ...grant, ref: grant.ref - GNTTAB_NR_RESERVED_ENTRIES })) };
      case 'writable':
        return { ...mapping, grants: mapping.grants.map((grant) => ({ ...grant, readonly: false })) };
      case 'own-domid':
        return { ...mapping, grants: mapping.grants.map((grant) => ({ ...grant, domid: scenario.guest.domid })) };
      case 'drop-offset':
        return { ...mapping, dmaAddress: address(mapping.grants[0]!.ref, 0) };
      default:
        return mapping;
    }
  });
  return { ...result, mappings };
}

/** The reference with `defects`, as a frontend named `name`. */
export function mutantFrontend(name: string, defects: Defects, declared?: readonly MechanismId[]): Frontend {
  const decideAll = (scenario: Scenario) => scenario.devices.map((device) => decide(defects, scenario, device));
  return {
    name,
    mechanisms: declared ?? [...referenceSources().map((mechanism) => mechanism.id), ...(defects.trusts ?? [])],
    decide: decideAll,
    map: (scenario, request) => map(defects, scenario, decideAll(scenario).find((decision) => decision.deviceId === request.deviceId), request),
  };
}

/** The conformant subject: the reference with the capability cross-check and no defect. */
export const conformantSubject: Frontend = mutantFrontend('reference + capability cross-check', {});

const backendWritten = mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id);

/** Every mutant, one broken rule each; the backend-channel ones come from spec/mechanisms.yaml. */
export const frontendMutants: readonly Mutant[] = [
  ...backendWritten.map((id): Mutant => ({ name: `trusts-${id}`, defect: `takes the domid from ${id}, which the backend writes`, killedBy: 'trusted-source', defects: { trusts: [id] } })),
  { name: 'vendor-data-config', defect: 'configures itself from a XenSource vendor data capability', killedBy: 'vendor-data-ignored', defects: { trusts: ['vendor-data-capability'] } },
  { name: 'off-by-one', defect: 'uses the domid found plus one', killedBy: 'toolstack-assignment', defects: { offByOne: true } },
  // As Linux before 2026: the fallback is an assumption, checked against nothing, so dom0 names itself.
  { name: 'dom0-fallback', defect: 'falls back to domain 0 when nothing names a backend, in dom0 too, unchecked', killedBy: 'dom0-fallback', defects: { dom0Fallback: true, allowSelf: true } },
  { name: 'self-grant', defect: "does not refuse its own domid", killedBy: 'no-self-grant', defects: { allowSelf: true } },
  { name: 'no-reserved-check', defect: 'does not refuse domids from DOMID_FIRST_RESERVED up', killedBy: 'valid-domid', defects: { allowReserved: true } },
  { name: 'truncate-cell', defect: 'cuts a 32-bit device-tree cell to 16 bits', killedBy: 'no-truncation', defects: { truncateCells: true } },
  { name: 'follow-broken-reference', defect: 'reads a reference to a missing node or another IOMMU as xen,grant-dma', killedBy: 'malformed-device-tree', defects: { followBrokenReference: true } },
  { name: 'ignore-iommu-cells', defect: "reads one cell whatever the xen,grant-dma node's #iommu-cells says", killedBy: 'grant-dma-cells', defects: { ignoreIommuCells: true } },
  { name: 'no-platform-access', defect: 'grants to devices without VERSION_1 and ACCESS_PLATFORM', killedBy: 'platform-access', defects: { skipPlatformAccess: true } },
  { name: 'grant-own-domid', defect: 'grants name its own domid instead of the backend', killedBy: 'grant-domid', defects: { mapping: 'own-domid' } },
  { name: 'drop-read-only', defect: 'grants every buffer writable', killedBy: 'grant-readonly', defects: { mapping: 'writable' } },
  { name: 'drop-page-offset', defect: 'hands the device the page address, not the buffer', killedBy: 'grant-dma-address', defects: { mapping: 'drop-offset' } },
  { name: 'share-grant-ref', defect: 'starts every buffer at the same grant reference', killedBy: 'grant-refs', defects: { mapping: 'share-refs' } },
  { name: 'reserved-grant-ref', defect: 'hands out the reserved grant entries', killedBy: 'grant-refs', defects: { mapping: 'reserved-refs' } },
  { name: 'truncate-frame', defect: 'cuts frames to the 32 bits of a v1 entry instead of refusing', killedBy: 'grant-frames', defects: { mapping: 'truncate-frames' } },
  { name: 'function-zero-rid', defect: "looks iommu-map up with function 0's requester id", killedBy: 'rid-arithmetic', defects: { functionZeroRid: true } },
  { name: 'refuse-unknown-features', defect: 'refuses a device that offers feature bits it does not know', killedBy: 'unknown-features', defects: { refuseUnknownFeatures: true } },
  { name: 'walk-ignores-status-bit', defect: 'walks the capability list with the status bit clear', killedBy: 'capability-walk', defects: { walk: { statusBit: false } } },
  { name: 'walk-keeps-low-bits', defect: "does not mask a pointer's reserved low bits", killedBy: 'capability-walk', defects: { walk: { maskLowBits: false } } },
  { name: 'walk-into-header', defect: 'follows a next pointer below 0x40', killedBy: 'capability-walk', defects: { walk: { stopInHeader: false } } },
  { name: 'walk-past-ff', defect: 'walks on past capability ID 0xFF', killedBy: 'capability-walk', defects: { walk: { stopAtFf: false } } },
  { name: 'walk-unbounded', defect: 'walks a looping list without a bound', killedBy: 'capability-walk', defects: { walk: { boundWalk: false } } },
  { name: 'walk-exact-cap-len', defect: 'skips a capability whose cap_len is larger than its layout', killedBy: 'capability-walk', defects: { walk: { acceptLongerCapLen: false } } },
  { name: 'walk-reserved-bar', defect: 'uses a virtio capability naming a reserved BAR', killedBy: 'capability-walk', defects: { walk: { skipReservedBar: false } } },
  { name: 'walk-reserved-cfg-type', defect: 'takes a reserved cfg_type for a known one', killedBy: 'capability-walk', defects: { walk: { skipUnknownCfgType: false } } },
  { name: 'walk-last-duplicate', defect: 'uses the last capability of a type, not the first', killedBy: 'capability-walk', defects: { walk: { firstOfType: false } } },
  { name: 'walk-huge-length', defect: 'refuses a device whose structure length exceeds what it maps', killedBy: 'capability-walk', defects: { walk: { copeWithLength: false } } },
  { name: 'first-source-wins', defect: 'of two trusted sources that disagree, uses the first', killedBy: 'disagreeing-sources', defects: { firstSourceWins: true } },
  {
    name: 'undeclared-xenstore',
    defect: 'reads xenstore without declaring it',
    killedBy: 'ignores-undeclared',
    declared: referenceSources().map((mechanism) => mechanism.id).filter((id) => id !== 'xenstore'),
    defects: {},
  },
];
