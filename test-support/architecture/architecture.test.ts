import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { importGraph, type ImportEdge } from './import-graph.ts';
import { checkArchitecture, type Violation } from './layer-rules.ts';
import { renderLayerTable } from './layers.ts';

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

  it('is described by docs/architecture.md, whose layer table is the one the rules use', () => {
    const doc = readFileSync(join(packageRoot, 'docs', 'architecture.md'), 'utf8');
    expect(doc).toContain(renderLayerTable());
  });
});
