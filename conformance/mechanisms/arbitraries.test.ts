import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { supportedTransports } from './arbitraries.ts';
import { discoveryMechanism, mechanismProperties } from './matrix.ts';

const validScenario = compileSchemaFile(join(import.meta.dirname, '../../spec/schema/scenario.schema.json'));

describe('mechanism case generators', () => {
  it('find each mechanism transports by publishing and reading back', () => {
    expect(supportedTransports(discoveryMechanism('dt-iommus')!)).toEqual(['mmio']);
    expect(supportedTransports(discoveryMechanism('dt-iommu-map')!)).toEqual(['pci']);
    expect(supportedTransports(discoveryMechanism('xenstore')!).sort()).toEqual(['mmio', 'pci']);
    expect(supportedTransports(discoveryMechanism('common-config-field')!)).toEqual(['pci']);
  });

  it.each(mechanisms.filter((mechanism) => supportedTransports(discoveryMechanism(mechanism.id)!).length > 0).map((mechanism) => [mechanism.id]))('%s: every column generates schema-valid scenarios on the mechanism architectures', (id) => {
    const mechanism = discoveryMechanism(id)!;
    for (const property of mechanismProperties) {
      for (const testCase of fc.sample(property.cases(mechanism), { seed: propertySeed, numRuns: 15 })) {
        expect(validScenario(testCase.scenario), `${property.id}: ${JSON.stringify(validScenario.errors)}`).toBe(true);
        if (testCase.variant) expect(validScenario(testCase.variant), `${property.id} variant`).toBe(true);
        expect(mechanism.entry.architectures).toContain(testCase.scenario.guest.arch);
      }
    }
  });
});
