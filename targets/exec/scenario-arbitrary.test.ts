import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { scenarioArbitrary, scenarioWithMapRequestArbitrary } from './scenario-arbitrary.ts';

const schema = (name: string) => fileURLToPath(new URL(`../../spec/schema/${name}.schema.json`, import.meta.url));

describe('scenario arbitraries', () => {
  it('produce scenarios valid against scenario.schema.json', () => {
    const validate = compileSchemaFile(schema('scenario'));
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        expect(validate(scenario), JSON.stringify(validate.errors)).toBe(true);
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('produce map requests valid against map-request.schema.json', () => {
    const validate = compileSchemaFile(schema('map-request'));
    fc.assert(
      fc.property(scenarioWithMapRequestArbitrary, ({ request }) => {
        expect(validate(request), JSON.stringify(validate.errors)).toBe(true);
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('reach the decision-table corners: dom0 with a DT node, PV fallback, parent-less root bus', () => {
    const samples = fc.sample(scenarioArbitrary, { numRuns: 500, seed: 1 });
    const devices = samples.flatMap((scenario) => scenario.devices.map((device) => ({ scenario, device })));
    expect(devices.some(({ scenario, device }) => scenario.guest.initialDomain && device.dtNode !== undefined)).toBe(true);
    expect(devices.some(({ scenario, device }) => scenario.guest.type === 'pv' && device.transport === 'pci' && !device.rootBusBridgeHasParent)).toBe(true);
    expect(samples.some((scenario) => scenario.channels.deviceTree?.mmioNodes.some((node) => (node.iommus?.[1] ?? 0) > 0xffff))).toBe(true);
  });
});
