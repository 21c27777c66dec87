/**
 * Tests sit beside the code they test: in the layers listed in layers.ts, every module `x.ts` has a
 * sibling `x.test.ts`, unless it holds no behaviour — a module of types only, named on the short
 * allow-list, or a public entry that only re-exports. A pure function over the file list, so the test
 * can show it catches a missing test as well as pass on the real tree.
 */
import { isTestFile } from './layer-rules.ts';
import type { ModuleShape } from './module-shape.ts';

/** Why a module breaks the rule. */
export type SiblingTestViolationCode =
  /** A module with behaviour and no sibling test. */
  | 'missing-test'
  /** A module on the allow-list of type-only modules holds code (or no longer exists). */
  | 'not-type-only';

/** One module that breaks the rule. */
export interface SiblingTestViolation {
  readonly code: SiblingTestViolationCode;
  readonly file: string;
  readonly message: string;
}

/** What the rule is checked against. */
export interface SiblingTestPolicy {
  /** Top-level folders whose modules need sibling tests. */
  readonly folders: readonly string[];
  /** Modules excused because they declare only types. */
  readonly typeOnlyModules: readonly string[];
}

/**
 * Whether `file` is a test vitest runs by itself: a suite file (`suites/x.suite.ts`, which
 * vitest.config.ts includes beside the `*.test.ts` files) declares conformance tests, it is no module to test.
 */
function isSuiteFile(file: string): boolean {
  return file.endsWith('.suite.ts');
}

/** Whether `file` is a TypeScript module of one of `folders` that the rule applies to. */
function inScope(file: string, folders: readonly string[]): boolean {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !isTestFile(file) && !isSuiteFile(file) && folders.some((folder) => file.startsWith(`${folder}/`));
}

/** Checks every module of `files` against `policy`; `shapeOf` reads a module's shape. */
export function checkSiblingTests(files: readonly string[], policy: SiblingTestPolicy, shapeOf: (file: string) => ModuleShape): SiblingTestViolation[] {
  const present = new Set(files);
  const violations: SiblingTestViolation[] = [];
  for (const file of policy.typeOnlyModules) {
    if (!present.has(file)) {
      violations.push({ code: 'not-type-only', file, message: `${file} is on the list of type-only modules but is no module of the tree; take it off` });
    } else if (shapeOf(file) !== 'types-only') {
      violations.push({ code: 'not-type-only', file, message: `${file} is on the list of type-only modules but holds code: give it a sibling test and take it off the list` });
    }
  }
  const excused = new Set(policy.typeOnlyModules);
  for (const file of files) {
    if (!inScope(file, policy.folders) || excused.has(file)) continue;
    if (present.has(file.replace(/\.ts$/, '.test.ts'))) continue;
    const shape = shapeOf(file);
    if (shape === 're-exports-only') continue;
    const hint = shape === 'types-only' ? ', or list it among the type-only modules (test-support/architecture/layers.ts)' : '';
    violations.push({ code: 'missing-test', file, message: `${file} has no sibling test ${file.replace(/\.ts$/, '.test.ts')}${hint}` });
  }
  return violations;
}
