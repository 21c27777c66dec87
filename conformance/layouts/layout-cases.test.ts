import { describe, expect, it } from 'vitest';
import { layoutCodecs } from '../../generated/ts/registry.ts';
import { isKnownRequirement } from '../requirement-catalogue.ts';
import { codecTarget, layoutCases } from './layout-cases.ts';

describe('layoutCases', () => {
  const { cases } = layoutCases({ seed: 24601, numRuns: 20 });

  it('makes two cases per constrained field that enforces a requirement: violations detected, valid values not flagged', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.length % 2).toBe(0);
    for (const testCase of cases) {
      expect(testCase).toMatchObject({ suite: 'layouts', target: codecTarget });
      const [layout] = testCase.groups;
      const [id] = testCase.requirements;
      expect(isKnownRequirement(id!)).toBe(true);
      const field = layoutCodecs[layout!]!.meta.fields.find((candidate) => testCase.name.startsWith(`${id} ${layout}.${candidate.specName} `));
      expect(field, testCase.name).toBeDefined();
      expect(field!.requirement).toBe(id);
      expect(field!.constraints).toBeDefined();
    }
    const names = cases.map((testCase) => testCase.name);
    expect(names.filter((name) => name.endsWith('violations are detected and attributed')).length).toBe(cases.length / 2);
    expect(new Set(names).size).toBe(names.length);
  });

  it("passes on xvc's generated codecs: every broken constraint is flagged with its id, no valid value is", async () => {
    for (const testCase of cases) expect(await testCase.run(), testCase.name).toEqual({ outcome: 'pass' });
  });

  it('judges codecs, not a target, under the name xvc:codecs', () => {
    expect(codecTarget).toBe('xvc:codecs');
  });
});
