/**
 * Frontends built the way the 2023 xen-devel discussion proposed: each takes the backend domid from
 * one backend-written mechanism (vendor data capability, device register, new virtio capability) and
 * uses it as given. They keep virtio's feature rule, nothing else; they exist to show what a hostile
 * backend can make them do.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import type { MechanismId } from '../discovery/mechanism-catalogue.ts';
import { discoveryMechanisms } from '../discovery/registry.ts';
import { missingGrantFeatures, parseFeatures } from './features.ts';
import type { Frontend } from './frontend.ts';
import { mapForDecision } from './grant-mapper.ts';

/** A frontend that trusts mechanism `mechanismId`. */
export function createTrustingFrontend(name: string, mechanismId: MechanismId): Frontend {
  const decideDevice = (scenario: Scenario, device: ScenarioDevice): Decision => {
    const mechanism = discoveryMechanisms[mechanismId];
    const reading = mechanism.read(scenario, device);
    if (reading.kind !== 'domid') {
      return { deviceId: device.id, outcome: 'no-grants', reason: reading.kind === 'absent' ? `${mechanismId} absent` : `${mechanismId} unreadable: ${reading.reason}` };
    }
    const missing = missingGrantFeatures(parseFeatures(device.deviceFeatures) ?? 0n);
    if (missing.length > 0) return { deviceId: device.id, outcome: 'refused', mechanism: mechanismId, reason: `device must provide VIRTIO_F_${missing[0]}` };
    return { deviceId: device.id, outcome: 'grants', backendDomid: reading.domid, mechanism: mechanismId };
  };
  return {
    name,
    mechanisms: [mechanismId],
    decide: (scenario) => scenario.devices.map((device) => decideDevice(scenario, device)),
    map(scenario, request) {
      const device = scenario.devices.find((candidate) => candidate.id === request.deviceId);
      return mapForDecision(scenario, device && decideDevice(scenario, device), request);
    },
  };
}
