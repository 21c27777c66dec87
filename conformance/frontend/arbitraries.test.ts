import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { hexToBytes } from '../../reference-impl/discovery/hex-bytes.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { frontendProperties } from './properties.ts';
import { dtCellCaseArbitrary, malformedTreeCaseArbitrary, ridCaseArbitrary, trustedSourceCaseArbitrary } from './arbitraries.ts';

const schemas = join(import.meta.dirname, '../../spec/schema');
const validScenario = compileSchemaFile(join(schemas, 'scenario.schema.json'));
const validRequest = compileSchemaFile(join(schemas, 'map-request.schema.json'));

describe('frontend case generators', () => {
  it.each(frontendProperties.map((property) => [property.id, property] as const))('%s: scenarios, variants and requests are schema-valid', (_id, property) => {
    fc.assert(
      fc.property(property.cases, (testCase) => {
        expect(validScenario(testCase.scenario), JSON.stringify(validScenario.errors)).toBe(true);
        if (testCase.variant) expect(validScenario(testCase.variant), JSON.stringify(validScenario.errors)).toBe(true);
        if (testCase.request) expect(validRequest(testCase.request), JSON.stringify(validRequest.errors)).toBe(true);
        for (const device of testCase.scenario.devices) expect(testCase.expectations[device.id]).toBeDefined();
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });

  it('variants differ from the scenario only in backend-controlled device fields', () => {
    fc.assert(
      fc.property(trustedSourceCaseArbitrary, ({ scenario, variant }) => {
        expect(variant!.guest).toEqual(scenario.guest);
        expect(variant!.channels).toEqual(scenario.channels);
        const strip = ({ configSpace: _c, deviceFeatures: _f, deviceConfig: _d, ...rest }: (typeof scenario.devices)[number]) => rest;
        expect(variant!.devices.map(strip)).toEqual(scenario.devices.map(strip));
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });

  it('hostile backends do reach into config space with vendor data (cfg_type 9) naming their own domid', () => {
    const found = fc.sample(trustedSourceCaseArbitrary, { seed: 1, numRuns: 200 }).some(({ scenario }) =>
      scenario.devices.some((device) => device.configSpace !== undefined && /09..0c09/.test(device.configSpace) && hexToBytes(device.configSpace) !== undefined),
    );
    expect(found).toBe(true);
  });

  it('device-tree cell cases put cells above 16 bits and in the reserved range into the tree', () => {
    const cells = fc.sample(dtCellCaseArbitrary, { seed: 2, numRuns: 200 }).flatMap((testCase) => Object.values(testCase.expectations).map((expectation) => expectation.dtCell));
    expect(cells.some((cell) => cell !== undefined && cell > 0xffff)).toBe(true);
    expect(cells.some((cell) => cell !== undefined && cell >= 0x7ff0 && cell <= 0xffff)).toBe(true);
  });

  it('malformed-tree cases mark at least one device, and RID cases cover masks and unmatched functions', () => {
    for (const testCase of fc.sample(malformedTreeCaseArbitrary, { seed: 3, numRuns: 100 })) {
      expect(Object.values(testCase.expectations).some((expectation) => expectation.malformedTrusted !== undefined)).toBe(true);
    }
    const ridCases = fc.sample(ridCaseArbitrary, { seed: 4, numRuns: 200 });
    expect(ridCases.some((testCase) => testCase.scenario.channels.deviceTree!.pciHostBridges[0]!.iommuMapMask !== undefined)).toBe(true);
    expect(ridCases.some((testCase) => Object.values(testCase.expectations).some((expectation) => expectation.ridDomid === null))).toBe(true);
  });
});
