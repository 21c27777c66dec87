/**
 * The reference frontend's policy with exactly one discovery mechanism as its source, so that a
 * matrix cell judges the mechanism rather than the policy: the domid is what the mechanism's reader
 * returns; a malformed reading refuses; nothing found means no grants (refusal under force-grant);
 * reserved domids, the guest's own domid and devices without VERSION_1 and ACCESS_PLATFORM are
 * refused. Mapping is the shared grant mapper of reference-impl.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { Scenario, ScenarioDevice } from '../../generated/ts/schema/scenario.ts';
import { DOMID_FIRST_RESERVED } from '../../generated/ts/xen/xen-domid.ts';
import type { DiscoveryMechanism } from '../../reference-impl/discovery/index.ts';
import { missingGrantFeatures, parseFeatures } from '../../reference-impl/frontend/index.ts';
import type { Frontend } from '../../reference-impl/frontend/index.ts';
import { mapForDecision } from '../../reference-impl/frontend/index.ts';

/** The decision of the single-mechanism policy for one device. */
export function decideWithMechanism(mechanism: DiscoveryMechanism, scenario: Scenario, device: ScenarioDevice): Decision {
  const deviceId = device.id;
  const refuse = (reason: string): Decision => ({ deviceId, outcome: 'refused', mechanism: mechanism.id, reason });
  const features = parseFeatures(device.deviceFeatures);
  if (features === undefined) return refuse('device features are not a 64-bit hex word');
  const reading = mechanism.read(scenario, device);
  if (reading.kind === 'malformed') return refuse(`${mechanism.id} is malformed: ${reading.reason}`);
  if (reading.kind === 'absent') {
    return scenario.guest.kernel.forceGrant ? refuse(`grants are required but ${mechanism.id} names no backend`) : { deviceId, outcome: 'no-grants', reason: `${mechanism.id} names no backend` };
  }
  const { domid } = reading;
  if (!Number.isInteger(domid) || domid < 0 || domid >= DOMID_FIRST_RESERVED) return refuse(`domid ${domid} is reserved`);
  if (domid === scenario.guest.domid) return refuse(`domid ${domid} is the guest's own`);
  const missing = missingGrantFeatures(features);
  if (missing.length > 0) return refuse(`device must offer VIRTIO_F_${missing.join(' and VIRTIO_F_')} to be used with grants`);
  return { deviceId, outcome: 'grants', backendDomid: domid, mechanism: mechanism.id };
}

/** The single-mechanism policy as a frontend. */
export function mechanismFrontend(mechanism: DiscoveryMechanism): Frontend {
  return {
    name: `reference policy reading ${mechanism.id}`,
    mechanisms: [mechanism.id],
    decide: (scenario) => scenario.devices.map((device) => decideWithMechanism(mechanism, scenario, device)),
    map(scenario, request) {
      const device = scenario.devices.find((candidate) => candidate.id === request.deviceId);
      return mapForDecision(scenario, device && decideWithMechanism(mechanism, scenario, device), request);
    },
  };
}
