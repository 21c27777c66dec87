import { describe, expect, it } from 'vitest';
import { computeCoverage, uncoveredTestableRequirements, type CoverageRequirement } from './coverage.ts';
import { requirementCatalogue } from './requirement-catalogue.ts';

const catalogue: CoverageRequirement[] = [
  { id: 'PCI-DEV-01', testable: true },
  { id: 'PCI-DEV-02', testable: true },
  { id: 'PCI-DEV-03', testable: true },
  { id: 'PCI-DEV-31', testable: { reason: 'INT#x cannot be observed.' } },
];

describe('computeCoverage', () => {
  const report = computeCoverage(catalogue, [
    { name: 'a', requirements: ['PCI-DEV-01'], state: 'pass' },
    { name: 'b', requirements: ['PCI-DEV-01', 'PCI-DEV-31'], state: 'fail' },
    { name: 'c', requirements: ['PCI-DEV-03'], state: 'todo' },
    { name: 'd', requirements: ['NOT-AN-ID'] },
  ]);

  it('classifies each requirement', () => {
    expect(report.requirements).toEqual([
      { id: 'PCI-DEV-01', status: 'covered', tests: ['a', 'b'] },
      { id: 'PCI-DEV-02', status: 'uncovered' },
      { id: 'PCI-DEV-03', status: 'uncovered' },
      { id: 'PCI-DEV-31', status: 'untestable', reason: 'INT#x cannot be observed.', tests: ['b'] },
    ]);
    expect(report.counts).toEqual({ covered: 1, uncovered: 2, untestable: 1 });
  });

  it('lists testable requirements without a test, a todo test not counting', () => {
    expect(uncoveredTestableRequirements(report)).toEqual(['PCI-DEV-02', 'PCI-DEV-03']);
  });

  it('reports ids the catalogue does not know', () => {
    expect(report.unknown).toEqual([{ test: 'd', id: 'NOT-AN-ID' }]);
  });

  it('accounts for every requirement of the real catalogue exactly once', () => {
    const real = [...requirementCatalogue().values()];
    const full = computeCoverage(real, []);
    expect(full.requirements.map((entry) => entry.id)).toEqual(real.map((requirement) => requirement.id));
    expect(full.counts.covered + full.counts.uncovered + full.counts.untestable).toBe(real.length);
    expect(full.counts.untestable).toBe(real.filter((requirement) => requirement.testable !== true).length);
  });
});
