/**
 * Requirement coverage of a test run: which catalogued requirements some conformance test names,
 * which are testable but have no test (CI fails on those), and which the catalogue declares
 * untestable, with the reason. Input is the requirement ids collected from vitest's task tree
 * (`task.meta.requirements`, set by `conformance()`).
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
  /** vitest's state or mode of the test when known (pass, fail, skip, todo, ...). */
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

/** The part of a vitest runner task (File, Suite, Test) that collection reads. */
export interface TaskLike {
  readonly type: string;
  readonly name: string;
  readonly mode?: string;
  readonly meta?: { readonly requirements?: readonly string[] };
  readonly result?: { readonly state?: string };
  readonly tasks?: readonly TaskLike[];
}

/** Deepest task nesting walked; vitest suites are never this deep, a cyclic or hostile tree stops here. */
const maxTaskDepth = 64;

/**
 * Collects every test that carries requirement ids from vitest's task tree (the `File[]` that
 * reporters and `vitest.state.getFiles()` expose). Suites contribute their names to the full name.
 */
export function collectRequirementTests(files: readonly TaskLike[]): RequirementTest[] {
  const found: RequirementTest[] = [];
  const visit = (task: TaskLike, path: readonly string[], depth: number): void => {
    if (depth > maxTaskDepth) return;
    const name = [...path, task.name];
    if (task.type === 'test') {
      const requirements = task.meta?.requirements;
      if (requirements && requirements.length > 0) {
        const state = task.mode === 'todo' || task.mode === 'skip' ? task.mode : task.result?.state;
        found.push({ name: name.join(' > '), requirements: [...requirements], ...(state !== undefined && { state }) });
      }
      return;
    }
    for (const child of task.tasks ?? []) visit(child, name, depth + 1);
  };
  for (const file of files) visit(file, [], 0);
  return found;
}

/** The part of a vitest 4 reporter `TestModule` that collection reads. */
export interface TestModuleLike {
  readonly moduleId: string;
  readonly children: {
    allTests(): Iterable<{
      readonly fullName: string;
      readonly options?: { readonly mode?: string };
      meta(): { readonly requirements?: readonly string[] };
      result(): { readonly state: string };
    }>;
  };
}

/**
 * Collects tests with requirement ids from the vitest 4 reporter API (`onTestRunEnd(testModules)`).
 * Names are `<module id> > <full test name>`, the same shape as {@link collectRequirementTests}.
 */
export function collectFromTestModules(modules: readonly TestModuleLike[]): RequirementTest[] {
  const found: RequirementTest[] = [];
  for (const module of modules) {
    for (const testCase of module.children.allTests()) {
      const requirements = testCase.meta().requirements;
      if (!requirements || requirements.length === 0) continue;
      const state = testCase.options?.mode === 'todo' ? 'todo' : testCase.result().state;
      found.push({ name: `${module.moduleId} > ${testCase.fullName}`, requirements: [...requirements], state });
    }
  }
  return found;
}
