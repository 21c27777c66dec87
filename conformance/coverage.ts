/**
 * Requirement coverage: which catalogued requirements some conformance test names, which are
 * testable but have no test (CI fails on those), and which the catalogue declares untestable, with
 * the reason. Input is the requirement ids of the cases the suites declare.
 */
import type { RequirementRecord } from '../generated/ts/requirements.ts';

/** What coverage needs to know about a requirement (the loader's and the generated records both fit). */
export interface CoverageRequirement {
  readonly id: string;
  readonly testable: RequirementRecord['testable'];
}

/** One collected test and the requirement ids it names. */
export interface RequirementTest {
  /** Full name: file, suites and test name joined with ' > '. */
  readonly name: string;
  readonly requirements: readonly string[];
  /** The test's state when known (pass, fail, skip, todo, ...); a `todo` covers nothing. */
  readonly state?: string;
}

/** Coverage of one requirement. */
export type RequirementCoverage =
  | { readonly id: string; readonly status: 'covered'; readonly tests: readonly string[] }
  | { readonly id: string; readonly status: 'uncovered' }
  | { readonly id: string; readonly status: 'untestable'; readonly reason: string; readonly tests: readonly string[] };

/** Coverage of the whole catalogue by one run. */
export interface CoverageReport {
  /** One entry per catalogued requirement, in catalogue order. */
  readonly requirements: readonly RequirementCoverage[];
  /** Ids that collected tests name but the catalogue does not define. */
  readonly unknown: readonly { readonly test: string; readonly id: string }[];
  readonly counts: { readonly covered: number; readonly uncovered: number; readonly untestable: number };
}

/**
 * Computes coverage. A test covers a requirement when it names it, whatever its outcome, except a
 * `todo` test, which checks nothing yet.
 */
export function computeCoverage(catalogue: Iterable<CoverageRequirement>, tests: readonly RequirementTest[]): CoverageReport {
  const testsById = new Map<string, string[]>();
  for (const test of tests) {
    if (test.state === 'todo') continue;
    for (const id of new Set(test.requirements)) {
      const list = testsById.get(id) ?? [];
      list.push(test.name);
      testsById.set(id, list);
    }
  }
  const requirements: RequirementCoverage[] = [];
  const known = new Set<string>();
  const counts = { covered: 0, uncovered: 0, untestable: 0 };
  for (const requirement of catalogue) {
    known.add(requirement.id);
    const covering = testsById.get(requirement.id) ?? [];
    if (requirement.testable !== true) {
      requirements.push({ id: requirement.id, status: 'untestable', reason: requirement.testable.reason, tests: covering });
      counts.untestable++;
    } else if (covering.length > 0) {
      requirements.push({ id: requirement.id, status: 'covered', tests: covering });
      counts.covered++;
    } else {
      requirements.push({ id: requirement.id, status: 'uncovered' });
      counts.uncovered++;
    }
  }
  const unknown = tests.flatMap((test) =>
    test.requirements.filter((id) => !known.has(id)).map((id) => ({ test: test.name, id })),
  );
  return { requirements, unknown, counts };
}

/** Ids of testable requirements that no test names, in catalogue order: CI fails when this is not empty. */
export function uncoveredTestableRequirements(report: CoverageReport): string[] {
  return report.requirements.filter((entry) => entry.status === 'uncovered').map((entry) => entry.id);
}
