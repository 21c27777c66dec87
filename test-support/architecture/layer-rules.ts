/**
 * The rules that make the tree show the architecture, as a pure function over the import graph, so
 * that the test can prove it catches a planted violation as well as pass on the real tree.
 */
import type { ImportEdge } from './import-graph.ts';
import { layers, mayImport, outside, rootFiles, type Layer } from './layers.ts';

/** Why an import is refused. */
export type ViolationCode =
  /** A layer imports a layer below it. */
  | 'upward-import'
  /** Product code imports test helpers, fixtures, examples or benchmarks. */
  | 'product-imports-test-code'
  /** An import reaches past another layer's public entries into its internals. */
  | 'bypasses-public-entry'
  /** Run-time code imports a layer that only builds xvc. */
  | 'build-time-import'
  /** A folder outside the layers imports what it may not. */
  | 'outside-import'
  /** A relative import names a file that does not exist. */
  | 'missing-file'
  /** Code in a top-level folder the architecture does not know. */
  | 'unknown-folder';

/** One refused import (or file), with what to read in the message. */
export interface Violation {
  readonly code: ViolationCode;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

const layerIndex = new Map(layers.map((layer, index) => [layer.folder, index]));
const outsideByFolder = new Map(outside.map((folder) => [folder.folder, folder]));

function topFolder(path: string): string {
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
}

/** Test code: files that only vitest runs. */
export function isTestFile(path: string): boolean {
  return /\.test\.ts$/.test(path) || path.includes('/fixtures/');
}

/**
 * Whether `path` is a public entry of its layer: a file directly in the layer's folder, the
 * `index.ts` of one of its sub-folders, or any module of a layer whose every module is public.
 */
export function isPublicEntry(path: string, layer: Layer): boolean {
  if (layer.everyModulePublic) return true;
  const inner = path.slice(layer.folder.length + 1).split('/');
  return inner.length === 1 || (inner.length === 2 && inner[1] === 'index.ts');
}

/** Checks every file's folder and every edge; `exists` says whether a relative target is a file. */
export function checkArchitecture(files: readonly string[], edges: readonly ImportEdge[], exists: (path: string) => boolean): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const top = topFolder(file);
    if (!layerIndex.has(top) && !outsideByFolder.has(top) && !rootFiles.includes(file)) {
      violations.push({ code: 'unknown-folder', file, message: `${file} is in no layer and in no folder around them (test-support/architecture/layers.ts)` });
    }
  }
  for (const edge of edges) {
    if (edge.to === undefined) continue;
    const at = { file: edge.from, line: edge.line };
    if (!exists(edge.to)) {
      violations.push({ code: 'missing-file', ...at, message: `${edge.from}:${edge.line} imports '${edge.specifier}', which is no file` });
      continue;
    }
    const fromTop = topFolder(edge.from);
    const toTop = topFolder(edge.to);
    if (fromTop === toTop || fromTop === '') continue;
    const fromLayer = layerIndex.get(fromTop);
    const toLayer = layerIndex.get(toTop);
    const arrow = `${edge.from}:${edge.line} imports ${edge.to}`;
    if (fromLayer === undefined) {
      const folder = outsideByFolder.get(fromTop);
      if (folder && !folder.mayImport.includes(toTop)) violations.push({ code: 'outside-import', ...at, message: `${arrow}: ${fromTop}/ may import only ${folder.mayImport.join(', ') || 'nothing'}` });
      continue;
    }
    const test = isTestFile(edge.from);
    if (toLayer === undefined) {
      if (!(test && (toTop === 'test-support' || toTop === 'fixtures'))) {
        violations.push({ code: 'product-imports-test-code', ...at, message: `${arrow}: product code never imports ${toTop}/` });
      }
      continue;
    }
    // A generator's tests read what it generated: the product they test.
    const generatorTestReadsOutput = test && fromTop === 'generators' && toTop === 'generated';
    if (toLayer > fromLayer && !generatorTestReadsOutput) {
      violations.push({ code: 'upward-import', ...at, message: `${arrow}: ${fromTop}/ is above ${toTop}/ and may not import it` });
      continue;
    }
    if (!test && !mayImport(layers[fromLayer]!).includes(toTop)) {
      violations.push({ code: 'build-time-import', ...at, message: `${arrow}: ${toTop}/ only builds xvc; nothing that runs may import it` });
      continue;
    }
    if (!test && !isPublicEntry(edge.to, layers[toLayer]!)) {
      violations.push({ code: 'bypasses-public-entry', ...at, message: `${arrow}: import ${toTop}/'s public entry (a file at ${toTop}/ or a sub-folder's index.ts) instead` });
    }
  }
  return violations;
}
