import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { defaultPlan } from '../../conformance/run-plan.ts';
import { builtinExpectations, currentPlan } from './suite-context.ts';

describe('currentPlan', () => {
  it('is the default plan under npm test, where no configuration provides one', () => {
    expect(currentPlan()).toEqual(defaultPlan(packageRoot, ['vitest']));
  });
});

describe('builtinExpectations', () => {
  // spec/expectations/builtin-models.yaml lists linux-6.2's grant to its own domid (XEN-INV-03).
  it("holds the built-in models' known defects for the models the plan names", () => {
    const entries = builtinExpectations({ ...defaultPlan(packageRoot), targets: ['model:linux-6.2'] })!.entries;
    expect(entries).toContainEqual(expect.objectContaining({ target: 'model:linux-6.2', requirement: 'XEN-INV-03' }));
  });

  it('holds nothing about a model the plan does not name', () => {
    const entries = builtinExpectations({ ...defaultPlan(packageRoot), targets: ['reference'] })?.entries ?? [];
    expect(entries.filter((entry) => entry.target === 'model:linux-6.2')).toEqual([]);
  });
});
