import { describe, expect, it } from 'vitest';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { frontendCases } from './frontend-cases.ts';
import { frontendProperties } from './properties.ts';

const settings = { seed: propertySeed, numRuns: 5 };

describe('frontendCases', () => {
  it('makes one case per property and target, named by the property, grouped by the target', async () => {
    const suite = await frontendCases([parseTargetSpec('reference'), parseTargetSpec('model:linux-6.5')], { settings });
    try {
      expect(suite.cases).toHaveLength(2 * frontendProperties.length);
      const forModel = suite.cases.filter((testCase) => testCase.target === 'model:linux-6.5');
      expect(forModel.map((testCase) => testCase.property)).toEqual(frontendProperties.map((property) => property.id));
      expect(forModel[0]).toMatchObject({ suite: 'frontend', groups: ['frontend model:linux-6.5'], name: `${frontendProperties[0]!.requirements.join(' ')} ${frontendProperties[0]!.title}`, requirements: frontendProperties[0]!.requirements });
      // The reference frontend holds every invariant; its results say who it is.
      const result = await suite.cases[0]!.run();
      expect(result).toMatchObject({ outcome: 'pass', targetMetadata: { kind: 'reference', role: 'frontend' } });
    } finally {
      await suite.close();
      await suite.close();
    }
  });

  it('adds the cases a caller makes for each opened target after its properties', async () => {
    const suite = await frontendCases([parseTargetSpec('reference')], {
      settings,
      moreCases: (spec) => [{ suite: 'mechanisms', target: spec, groups: [], name: 'extra', requirements: ['XEN-INV-01'], run: async () => ({ outcome: 'pass' }) }],
    });
    try {
      expect(suite.cases.map((testCase) => testCase.name).at(-1)).toBe('extra');
      expect(suite.cases).toHaveLength(frontendProperties.length + 1);
    } finally {
      await suite.close();
    }
  });

  it('turns a target that cannot be opened into a harness error for every property, and adds nothing for it', async () => {
    const suite = await frontendCases([parseTargetSpec('exec:/nonexistent/xvc-frontend-adapter')], { settings, moreCases: () => [] });
    try {
      expect(suite.cases).toHaveLength(frontendProperties.length);
      expect(await suite.cases[0]!.run()).toMatchObject({ outcome: 'error', message: expect.stringContaining('/nonexistent/xvc-frontend-adapter') });
    } finally {
      await suite.close();
    }
  });
});
