/**
 * The reference frontend: the backend domid comes only from mechanisms whose writer is not the
 * backend (per spec/mechanisms.yaml) and that discover rather than assume (the dom0 constant is
 * excluded). It fails closed: a present but malformed trusted source, or trusted sources that
 * disagree, refuse the device; it never grants to its own domid or to a reserved domid, and it
 * requires VERSION_1 and ACCESS_PLATFORM whenever it uses grants. A kernel built to force grants
 * refuses a device no trusted source describes rather than assume a backend.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import type { DiscoveryMechanism } from '../discovery/mechanism.ts';
import { discoveryMechanisms } from '../discovery/registry.ts';
import { isValidDomid } from '../xen/domid.ts';
import { missingGrantFeatures, parseFeatures } from './features.ts';
import type { Frontend } from './frontend.ts';
import { mapForDecision } from './grant-mapper.ts';

/** The mechanisms the reference frontend reads: trusted writers, excluding constants. */
export function referenceSources(): DiscoveryMechanism[] {
  return Object.values(discoveryMechanisms).filter((mechanism) => mechanism.entry.trusted && mechanism.entry.writer !== 'constant');
}

/** The reference decision for one device. */
export function referenceDecide(scenario: Scenario, device: ScenarioDevice): Decision {
  const deviceId = device.id;
  const refuse = (reason: string, mechanism?: string): Decision => ({ deviceId, outcome: 'refused', ...(mechanism && { mechanism }), reason });
  const features = parseFeatures(device.deviceFeatures);
  if (features === undefined) return refuse('device features are not a 64-bit hex word');
  const found: { mechanism: string; domid: number }[] = [];
  for (const mechanism of referenceSources()) {
    const reading = mechanism.read(scenario, device);
    if (reading.kind === 'malformed') return refuse(`trusted source ${mechanism.id} is malformed: ${reading.reason}`, mechanism.id);
    if (reading.kind === 'domid') found.push({ mechanism: mechanism.id, domid: reading.domid });
  }
  if (new Set(found.map((source) => source.domid)).size > 1) {
    return refuse(`trusted sources disagree: ${found.map((source) => `${source.mechanism}=${source.domid}`).join(', ')}`);
  }
  const chosen = found[0];
  if (!chosen) {
    if (scenario.guest.kernel.forceGrant) return refuse('grants are required but no trusted source names a backend');
    return { deviceId, outcome: 'no-grants', reason: 'no trusted source names a backend domid' };
  }
  if (!isValidDomid(chosen.domid)) return refuse(`domid ${chosen.domid} is reserved`, chosen.mechanism);
  if (chosen.domid === scenario.guest.domid) return refuse(`domid ${chosen.domid} is the guest's own`, chosen.mechanism);
  const missing = missingGrantFeatures(features);
  if (missing.length > 0) return refuse(`device must offer VIRTIO_F_${missing.join(' and VIRTIO_F_')} to be used with grants`, chosen.mechanism);
  return { deviceId, outcome: 'grants', backendDomid: chosen.domid, mechanism: chosen.mechanism };
}

/** The reference frontend. */
export const referenceFrontend: Frontend = {
  name: 'reference',
  mechanisms: referenceSources().map((mechanism) => mechanism.id),
  decide: (scenario) => scenario.devices.map((device) => referenceDecide(scenario, device)),
  map(scenario, request) {
    const device = scenario.devices.find((candidate) => candidate.id === request.deviceId);
    return mapForDecision(scenario, device && referenceDecide(scenario, device), request);
  },
};
