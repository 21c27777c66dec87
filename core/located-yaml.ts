import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { SourcePosition } from './source-position.ts';
import { specProblem, type SpecProblem } from './spec-problem.ts';

/**
 * A parsed YAML file that can still answer "where in the file is this value?", so that every later
 * check (schema, semantics) reports file:line:column instead of a bare JSON path.
 */
export interface LocatedYaml {
  file: string;
  data: unknown;
  /** Position of the node at `path`, or of its nearest existing ancestor. */
  positionOf(path: readonly (string | number)[]): SourcePosition;
}

/** Result of parsing: the located document, or the syntax problems that prevented it. */
export type ParseResult = { ok: true; yaml: LocatedYaml } | { ok: false; problems: SpecProblem[] };

/** Parses YAML text; `file` is used only for positions. Never throws on bad input. */
export function parseLocatedYaml(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) =>
        specProblem('yamlSyntax', at(error.pos[0]), [], error.message.split('\n')[0] ?? error.message),
      ),
    };
  }
  return { ok: true, yaml: { file, data: document.toJS({ maxAliasCount: 100 }), positionOf: (path) => locate(document, path, at) } };
}

/**
 * Reads and parses a YAML file; an unreadable file is a located problem, not an exception.
 * `display` is the name positions carry (e.g. a path relative to the repository).
 */
export function readLocatedYaml(file: string, display = file): ParseResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [specProblem('readFailure', { file: display, line: 1, column: 1 }, [], String(error))] };
  }
  return parseLocatedYaml(text, display);
}

function locate(
  document: Document,
  path: readonly (string | number)[],
  at: (offset: number) => SourcePosition,
): SourcePosition {
  // Walk down as far as the path exists; report the deepest node found (a missing key is reported
  // at its parent mapping, which is where the user has to add it).
  const last = path[path.length - 1];
  if (typeof last === 'string') {
    // A mapping key is shown where the key is written, not where its value starts.
    const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
      if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
    }
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return at(0);
}
