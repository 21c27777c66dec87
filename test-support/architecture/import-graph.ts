/**
 * The import graph of the repository, parsed (not grepped) with oxc's TypeScript parser: every
 * static import and re-export, type-only or not, and every dynamic `import()` of a literal path.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { parseSync } from 'oxc-parser';

/** One import of one module. */
export interface ImportEdge {
  /** Importing file, relative to the repository root, `/`-separated. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The file it names, relative to the root; undefined for packages and `node:` modules. */
  readonly to?: string;
  /** 1-based line of the import, for messages. */
  readonly line: number;
  readonly kind: 'static' | 'dynamic';
}

/** A file that could not be parsed: the graph would be incomplete, so the check must fail. */
export interface ParseProblem {
  readonly file: string;
  readonly message: string;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < source.length; index++) if (source.charCodeAt(index) === 10) line++;
  return line;
}

/** Parses `files` (relative to `root`) and returns every import edge and every file that failed to parse. */
export function importGraph(root: string, files: readonly string[]): { edges: ImportEdge[]; problems: ParseProblem[] } {
  const edges: ImportEdge[] = [];
  const problems: ParseProblem[] = [];
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    const parsed = parseSync(file, source);
    if (parsed.errors.length > 0) {
      problems.push({ file, message: parsed.errors.map((error) => error.message).join('; ') });
      continue;
    }
    const add = (specifier: string, offset: number, kind: ImportEdge['kind']): void => {
      const local = specifier.startsWith('.') ? relative(root, normalize(join(root, dirname(file), specifier))).split('\\').join('/') : undefined;
      edges.push({ from: file, specifier, ...(local !== undefined && { to: local }), line: lineOf(source, offset), kind });
    };
    for (const entry of parsed.module.staticImports) add(entry.moduleRequest.value, entry.start, 'static');
    for (const entry of parsed.module.staticExports) {
      for (const part of entry.entries) if (part.moduleRequest) add(part.moduleRequest.value, entry.start, 'static');
    }
    for (const entry of parsed.module.dynamicImports) {
      const text = source.slice(entry.moduleRequest.start, entry.moduleRequest.end).trim();
      const literal = /^(['"])(.*)\1$/.exec(text);
      if (literal) add(literal[2]!, entry.start, 'dynamic');
    }
  }
  return { edges, problems };
}
