import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';
import {
  collectFromTestModules,
  collectRequirementTests,
  computeCoverage,
  uncoveredTestableRequirements,
  type CoverageRequirement,
  type TaskLike,
  type TestModuleLike,
} from './coverage.ts';
import { requirementCatalogue } from './requirement-catalogue.ts';

const here = dirname(fileURLToPath(import.meta.url));

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

describe('collectRequirementTests', () => {
  it('walks files and suites and builds full names', () => {
    const files: TaskLike[] = [
      {
        type: 'suite',
        name: 'x.test.ts',
        tasks: [
          {
            type: 'suite',
            name: 'outer',
            tasks: [
              { type: 'test', name: 'one', meta: { requirements: ['PCI-DEV-01'] }, result: { state: 'pass' } },
              { type: 'test', name: 'plain', meta: {} },
              { type: 'test', name: 'later', mode: 'todo', meta: { requirements: ['PCI-DEV-02'] } },
            ],
          },
        ],
      },
    ];
    expect(collectRequirementTests(files)).toEqual([
      { name: 'x.test.ts > outer > one', requirements: ['PCI-DEV-01'], state: 'pass' },
      { name: 'x.test.ts > outer > later', requirements: ['PCI-DEV-02'], state: 'todo' },
    ]);
  });

  it('stops at a bounded depth on a cyclic tree', () => {
    const cyclic: { type: string; name: string; tasks: TaskLike[] } = { type: 'suite', name: 'loop', tasks: [] };
    cyclic.tasks.push(cyclic, { type: 'test', name: 't', meta: { requirements: ['PCI-DEV-01'] } });
    const found = collectRequirementTests([cyclic]);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(65);
  });
});

describe('collection from a real vitest run', () => {
  it('finds the ids conformance() recorded, through both reporter APIs', async () => {
    const vitest = await createVitest(
      'test',
      {
        config: false,
        root: join(here, '..', 'suites', 'support'),
        include: ['fixtures/traced-tests.fixture.ts'],
        watch: false,
        // A reporter with no hooks keeps the inner run quiet.
        reporters: [{}],
        pool: 'threads',
        maxWorkers: 1,
      },
    );
    try {
      await vitest.start();
      const fromTasks = collectRequirementTests(vitest.state.getFiles() as unknown as TaskLike[]);
      const fromModules = collectFromTestModules(vitest.state.getTestModules() as unknown as TestModuleLike[]);
      const byName = (tests: { name: string; requirements: readonly string[]; state?: string }[]) =>
        tests.map((test) => [test.name.replace(/^.*fixtures\//, ''), test.requirements, test.state]);
      expect(byName(fromTasks)).toEqual([
        ['traced-tests.fixture.ts > static checks > vendor id', ['PCI-DEV-02'], 'pass'],
        ['traced-tests.fixture.ts > static checks > required capabilities', ['PCI-DEV-12', 'PCI-DEV-23'], 'pass'],
        ['traced-tests.fixture.ts > reset', ['PCI-DEV-16'], 'fail'],
      ]);
      expect(fromModules.map((test) => test.requirements)).toEqual([['PCI-DEV-02'], ['PCI-DEV-12', 'PCI-DEV-23'], ['PCI-DEV-16']]);
      expect(fromModules.map((test) => test.state)).toEqual(['passed', 'passed', 'failed']);
      const report = computeCoverage(requirementCatalogue().values(), fromTasks);
      const covered = report.requirements.filter((entry) => entry.status === 'covered').map((entry) => entry.id);
      expect(covered).toEqual(['PCI-DEV-02', 'PCI-DEV-12', 'PCI-DEV-16', 'PCI-DEV-23']);
    } finally {
      await vitest.close();
    }
  });
});
