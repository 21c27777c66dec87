import { describe, expect, it } from 'vitest';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { defaultRuns } from '../run-plan.ts';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { isKnownRequirement } from '../requirement-catalogue.ts';
import { mechanismCases } from './mechanism-cases.ts';
import { mechanismProperties } from './matrix.ts';

// The runs of a default run: enough to find what a backend can do with a value it writes.
const settings = { seed: propertySeed, numRuns: defaultRuns };

describe('mechanismCases', () => {
  const { cases } = mechanismCases(settings);

  it('makes cases for every mechanism of the catalogue, under the target mechanism:<id>, each with catalogued ids', () => {
    expect(new Set(cases.map((testCase) => testCase.mechanism))).toEqual(new Set(mechanisms.map((mechanism) => mechanism.id)));
    for (const testCase of cases) {
      expect(testCase).toMatchObject({ suite: 'mechanisms', target: `mechanism:${testCase.mechanism}`, groups: [`mechanism ${testCase.mechanism}`] });
      expect(testCase.requirements.length).toBeGreaterThan(0);
      for (const id of testCase.requirements) expect(isKnownRequirement(id), id).toBe(true);
      expect(mechanismProperties.map((property) => property.id)).toContain(testCase.property);
    }
    const keys = cases.map((testCase) => `${testCase.mechanism}/${testCase.property}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fails trusted-source for every mechanism the backend writes, and passes it for every trusted one (spec/mechanisms.yaml)', async () => {
    for (const mechanism of mechanisms) {
      const testCase = cases.find((candidate) => candidate.mechanism === mechanism.id && candidate.property === 'trusted-source');
      if (testCase === undefined) continue;
      const result = await testCase.run();
      expect(result.outcome, mechanism.id).toBe(mechanism.trusted ? 'pass' : 'fail');
      expect(result.targetMetadata).toMatchObject({ spec: `mechanism:${mechanism.id}`, kind: 'reference', role: 'frontend' });
      if (result.outcome === 'fail') {
        expect(result.evidence.map((evidence) => evidence.kind), mechanism.id).toEqual(['counterexample', 'text']);
        expect(result.evidence[0]).toMatchObject({ replay: `xvc replay --mechanism ${mechanism.id} --property trusted-source` });
      }
    }
    expect(mechanisms.some((mechanism) => !mechanism.trusted)).toBe(true);
  });
});
