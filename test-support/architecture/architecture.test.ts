import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { importGraph, type ImportEdge } from './import-graph.ts';
import { checkArchitecture, type Violation } from './layer-rules.ts';
import { renderLayerTable, siblingTestedFolders, typeOnlyModules } from './layers.ts';
import { moduleShape, type ModuleShape } from './module-shape.ts';
import { checkSiblingTests } from './sibling-tests.ts';

/** Folders that never hold the project's own source. */
const ignored = new Set(['node_modules', '.git', 'dist', 'xvc-report', 'coverage']);

function sourceFiles(folder = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(packageRoot, folder), { withFileTypes: true })) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!ignored.has(entry.name) && !entry.name.startsWith('.')) found.push(...sourceFiles(path));
    } else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !path.startsWith('generated/c/') && !entry.name.endsWith('.cjs')) {
      found.push(path);
    }
  }
  return found;
}

const isFile = (path: string): boolean => existsSync(join(packageRoot, path)) && statSync(join(packageRoot, path)).isFile();
const files = sourceFiles();
const graph = importGraph(packageRoot, files);

function explain(violations: readonly Violation[]): string {
  return violations.map((violation) => `${violation.code}: ${violation.message}`).join('\n');
}

describe('architecture', () => {
  it('reads every source file of the repository', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(graph.problems).toEqual([]);
    expect(graph.edges.filter((edge) => edge.to !== undefined).length).toBeGreaterThan(1000);
  });

  it('has no import against the flow of layers, around them or past a public entry', () => {
    const violations = checkArchitecture(files, graph.edges, isFile);
    expect(violations, explain(violations)).toEqual([]);
  });

  it('refuses a planted upward import, a deep import, product code reaching test helpers and run-time code reaching the generators', () => {
    const planted: ImportEdge[] = [
      { from: 'core/seed.ts', specifier: '../cli/main.ts', to: 'cli/main.ts', line: 1, kind: 'static' },
      { from: 'cli/main.ts', specifier: '../targets/dump/lspci-text-parser.ts', to: 'targets/dump/lspci-text-parser.ts', line: 2, kind: 'static' },
      { from: 'results/verdict.ts', specifier: '../test-support/fast-check-seed.ts', to: 'test-support/fast-check-seed.ts', line: 3, kind: 'dynamic' },
      { from: 'reports/html.ts', specifier: './gone.ts', to: 'reports/gone.ts', line: 4, kind: 'static' },
      { from: 'targets/dump.ts', specifier: '../generators/main.ts', to: 'generators/main.ts', line: 5, kind: 'static' },
    ];
    const codes = checkArchitecture(['core/seed.ts', 'stray/x.ts'], planted, isFile).map((violation) => [violation.code, violation.file]);
    expect(codes).toEqual([
      ['unknown-folder', 'stray/x.ts'],
      ['upward-import', 'core/seed.ts'],
      ['bypasses-public-entry', 'cli/main.ts'],
      ['product-imports-test-code', 'results/verdict.ts'],
      ['missing-file', 'reports/html.ts'],
      ['build-time-import', 'targets/dump.ts'],
    ]);
  });

  it('lets tests reach into the layers they test and test-support, but not upward', () => {
    const edges: ImportEdge[] = [
      { from: 'targets/dump.test.ts', specifier: './dump/lspci-text-parser.ts', to: 'targets/dump/lspci-text-parser.ts', line: 1, kind: 'static' },
      { from: 'targets/dump.test.ts', specifier: '../test-support/fast-check-seed.ts', to: 'test-support/fast-check-seed.ts', line: 2, kind: 'static' },
      { from: 'cli/main.test.ts', specifier: '../targets/dump/lspci-text-parser.ts', to: 'targets/dump/lspci-text-parser.ts', line: 3, kind: 'static' },
      { from: 'targets/dump.test.ts', specifier: '../cli/main.ts', to: 'cli/main.ts', line: 4, kind: 'static' },
    ];
    const codes = checkArchitecture([], edges, () => true).map((violation) => [violation.code, violation.line]);
    expect(codes).toEqual([['upward-import', 4]]);
  });

  it(`has a sibling test for every module of ${siblingTestedFolders.map((folder) => `${folder}/`).join(', ')} that holds code`, () => {
    const shapeOf = (file: string): ModuleShape => moduleShape(file, readFileSync(join(packageRoot, file), 'utf8'));
    const violations = checkSiblingTests(files, { folders: siblingTestedFolders, typeOnlyModules }, shapeOf);
    expect(violations.map((violation) => violation.message)).toEqual([]);
  });

  it('refuses a module without a test, and an allow-listed type-only module that holds code or is gone', () => {
    const shapes: Record<string, ModuleShape> = {
      'core/tested.ts': 'code',
      'core/untested.ts': 'code',
      'core/types.ts': 'types-only',
      'core/listed-but-code.ts': 'code',
      'reference-impl/pci/index.ts': 're-exports-only',
      'generators/model/unlisted-types.ts': 'types-only',
      'reports/outside-the-check.ts': 'code',
      'suites/device.suite.ts': 'code',
    };
    const tree = [...Object.keys(shapes), 'core/tested.test.ts', 'generators/load/fixtures/broken/x.ts'];
    const violations = checkSiblingTests(tree, { folders: ['core', 'generators', 'reference-impl'], typeOnlyModules: ['core/types.ts', 'core/listed-but-code.ts', 'core/gone.ts'] }, (file) => shapes[file] ?? 'code');
    // suites/device.suite.ts is no violation although suites/ is checked: a suite file is a test itself.
    const withSuites = checkSiblingTests(tree, { folders: ['suites'], typeOnlyModules: [] }, (file) => shapes[file] ?? 'code');
    expect(withSuites).toEqual([]);
    expect(violations.map((violation) => [violation.code, violation.file])).toEqual([
      ['not-type-only', 'core/listed-but-code.ts'],
      ['not-type-only', 'core/gone.ts'],
      ['missing-test', 'core/untested.ts'],
      ['missing-test', 'generators/model/unlisted-types.ts'],
    ]);
  });

  it('tells a module of types only and a public entry that only re-exports from one that holds code', () => {
    expect(moduleShape('a.ts', "import type { A } from './a.ts';\nexport interface B { a: A }\nexport type C = B;\ntype D = C;\nexport type { A };")).toBe('types-only');
    expect(moduleShape('a.ts', "import { type A } from './a.ts';\nexport type * from './b.ts';")).toBe('types-only');
    expect(moduleShape('index.ts', "export { f, type G } from './f.ts';\nexport * from './h.ts';\nexport type { I } from './i.ts';")).toBe('re-exports-only');
    expect(moduleShape('a.ts', "export interface A { a: number }\nexport const a = 1;")).toBe('code');
    expect(moduleShape('a.ts', "import './side-effect.ts';\nexport type A = number;")).toBe('code');
    expect(moduleShape('a.ts', "import type { A } from './a.ts';\ndeclare module 'vitest' { interface TaskMeta { a?: A } }\ndeclare global { interface G { g: number } }")).toBe('types-only');
    expect(moduleShape('a.ts', 'namespace N { export const n = 1; }')).toBe('code');
    expect(moduleShape('index.ts', "import { f } from './f.ts';\nexport { f };")).toBe('code');
    expect(moduleShape('a.ts', 'export function f() { return 1; }')).toBe('code');
  });

  it('is described by docs/architecture.md, whose layer table is the one the rules use', () => {
    const doc = readFileSync(join(packageRoot, 'docs', 'architecture.md'), 'utf8');
    expect(doc).toContain(renderLayerTable());
  });
});
