import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import { discoveryMechanisms } from '../../reference-impl/discovery/registry.ts';
import { buildScenario } from '../../reference-impl/xen/toolstack.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import type { FrontendProperty } from '../frontend/properties.ts';
import { checkFailClosed } from '../frontend/invariants.ts';
import { runPropertyInProcess } from '../frontend/run-property.ts';
import { mechanismMalformedCases } from './arbitraries.ts';
import { isValidDomid } from '../../reference-impl/xen/domid.ts';
import { malformableMechanisms, malformationWays, malformPublication } from './malformed.ts';
import { discoveryMechanism } from './matrix.ts';

describe('malformed publications', () => {
  it.each(malformableMechanisms.map((id) => [id]))('%s: the broken publication reads as malformed, never as a domid', (id) => {
    const mechanism = discoveryMechanism(id)!;
    const arch = mechanism.entry.architectures[0]!;
    const built = buildScenario(
      {
        domid: 7,
        type: 'pvh',
        arch,
        virtio: [
          { id: 'pci', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: 0 }, backend: 3, grantUsage: true },
          { id: 'mmio', type: 'virtio,device1', transport: 'mmio', backend: 3, grantUsage: true },
        ],
      },
      { publish: [id] },
    );
    if (!built.ok) throw new Error('configuration rejected');
    const described = built.scenario.devices.filter((device) => mechanism.read(built.scenario, device).kind === 'domid');
    expect(described.length).toBeGreaterThan(0);
    expect(malformationWays(id)).toBeGreaterThan(0);
    for (const device of described) {
      for (let way = 0; way < malformationWays(id); way++) {
        const broken = malformPublication(id, built.scenario, device, way);
        expect(broken, `${id} ${device.id} way ${way}`).toBeDefined();
        expect(broken!.devices).toContain(device.id);
        for (const affected of broken!.devices) {
          const target = broken!.scenario.devices.find((candidate) => candidate.id === affected)!;
          const reading = mechanism.read(broken!.scenario, target);
          // Malformed, or a value no domain can have (a text domid past domid_t parses, then fails every check).
          if (described.some((candidate) => candidate.id === affected)) expect(reading.kind === 'malformed' || (reading.kind === 'domid' && !isValidDomid(reading.domid)), `${id} ${affected} way ${way}: ${JSON.stringify(reading)}`).toBe(true);
        }
      }
    }
  });

  it('nothing to break where nothing was published, and no malformed form for a hypervisor register or the dom0 constant', () => {
    const built = buildScenario({ domid: 7, type: 'hvm', arch: 'x86', virtio: [{ id: 'pci', type: 'virtio,device1', transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: 0 }, backend: 3 }] }, { publish: ['xenstore'] });
    if (!built.ok) throw new Error('configuration rejected');
    // grant_usage defaults to true for a non-dom0 backend; drop the node to see "nothing published".
    const bare = { ...built.scenario, channels: {} };
    expect(malformPublication('xenstore', bare, bare.devices[0]!)).toBeUndefined();
    expect(malformPublication('root-complex-register', built.scenario, built.scenario.devices[0]!)).toBeUndefined();
    expect(malformPublication('dom0-default', built.scenario, built.scenario.devices[0]!)).toBeUndefined();
  });

  it('a reader that guesses on bad xenstore text fails the fail-closed column', () => {
    const mechanism = discoveryMechanism('xenstore')!;
    // parseInt accepts '3x' as 3: the guess the column must catch.
    const sloppy = {
      decide: (scenario: Parameters<typeof mechanism.read>[0]): Decision[] =>
        scenario.devices.map((device) => {
          const value = Object.entries(scenario.channels.xenstore ?? {}).find(([path]) => path.includes(`/${device.transport === 'pci' ? '' : device.id}`))?.[1];
          const domid = value === undefined ? Number.NaN : Number.parseInt(value, 10);
          return Number.isNaN(domid) ? { deviceId: device.id, outcome: 'no-grants' } : { deviceId: device.id, outcome: 'grants', backendDomid: domid };
        }),
      map: () => ({ deviceId: '', outcome: 'refused' as const, mappings: [] }),
    };
    const property: FrontendProperty = { id: 'fail-closed', requirements: [], title: '', check: checkFailClosed, cases: mechanismMalformedCases(mechanism) };
    const run = runPropertyInProcess(property, sloppy, { seed: propertySeed, numRuns: 100 });
    expect(run.kind).toBe('fail');
    if (run.kind === 'fail') expect(run.violation.code).toBe('malformed-source-granted');
    expect(Object.keys(discoveryMechanisms)).toEqual(expect.arrayContaining([...malformableMechanisms]));
    expect(fc.sample(mechanismMalformedCases(mechanism), { seed: 1, numRuns: 20 }).some((testCase) => Object.values(testCase.expectations).some((expectation) => expectation.malformedTrusted))).toBe(true);
  });
});
