import { createRequire } from 'node:module';
import type * as YamlLibrary from 'yaml';
import type { Document } from 'yaml';
import { readInputText, type InputKind } from './input-file.ts';
import type { SourcePosition } from './source-position.ts';
import { nestingBeyond } from './yaml-nesting.ts';
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

const require = createRequire(import.meta.url);
let library: typeof YamlLibrary | undefined;

/**
 * The yaml library, loaded at the first parse rather than with this module: loading it takes about
 * 0.1 s, and most commands that import this module on the way (report, decode) never read YAML.
 */
function yaml(): typeof YamlLibrary {
  return (library ??= require('yaml') as typeof YamlLibrary);
}

/** Parses YAML text; `file` is used only for positions. Never throws on bad input. */
export function parseLocatedYaml(text: string, file: string): ParseResult {
  const beyond = nestingBeyond(text);
  if (beyond !== undefined) return { ok: false, problems: [specProblem('yamlTooDeep', positionOfOffset(text, beyond, file), [], tooDeepMessage)] };
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    // The parser is recursive: a deep enough nesting exhausts its stack, which it reports as an error at
    // the place it reached (sometimes twice), followed by one error per collection left open. The depth
    // is the one problem then, said in the reader's terms, not the engine's.
    const exhausted = document.errors.find((error) => STACK_EXHAUSTED.test(error.message));
    if (exhausted !== undefined) return { ok: false, problems: [specProblem('yamlTooDeep', at(exhausted.pos[0]), [], tooDeepMessage)] };
    const problems = document.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((error) => specProblem('yamlSyntax', at(error.pos[0]), [], error.message.split('\n')[0] ?? error.message));
    const more = document.errors.length - MAX_SYNTAX_PROBLEMS;
    if (more > 0) problems.push(specProblem('yamlSyntax', at(document.errors[MAX_SYNTAX_PROBLEMS]!.pos[0]), [], `and ${more} more YAML syntax error(s) from here on`));
    return { ok: false, problems };
  }
  const deep = firstNodeDeeperThan(document, MAX_YAML_DEPTH);
  if (deep !== undefined) return { ok: false, problems: [specProblem('yamlTooDeep', at(deep), [], tooDeepMessage)] };
  const cut = commentsCuttingValues(document, text);
  if (cut.length > 0) {
    return {
      ok: false,
      problems: cut.map((offset) =>
        specProblem('valueCutByComment', at(offset), [], `YAML reads '${text.slice(offset, offset + 24).split('\n')[0]}' as a comment, so the value before it ends there; quote the value to keep the rest of the line`),
      ),
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library refuses alias expansion beyond the bound (a "billion laughs" file) by throwing;
    // here that is a located problem like any other bad input.
    if (!(error instanceof ReferenceError)) throw error;
    return {
      ok: false,
      problems: [
        specProblem('aliasExpansion', at(firstAliasOffset(document)), [], `aliases expand beyond the bound xvc accepts (${MAX_ALIAS_COUNT} per alias, as the yaml library counts them); the first alias is here`),
      ],
    };
  }
  return { ok: true, yaml: { file, data, positionOf: (path) => locate(document, path, at) } };
}

/**
 * Bound on the nesting of lists and maps: xvc's deepest spec file nests 6 levels; past this, reading
 * (and later walking) the data recurses once per level, and the parser itself runs out of stack at a
 * few hundred levels.
 */
export const MAX_YAML_DEPTH = 64;

const STACK_EXHAUSTED = /Maximum call stack size exceeded/;
/** Syntax errors listed one by one; a broken file usually has one cause, and the rest are its echoes. */
const MAX_SYNTAX_PROBLEMS = 20;
const tooDeepMessage = `lists and maps are nested deeper than xvc reads (${MAX_YAML_DEPTH} levels); this is where it stopped`;

/** Offset of the first collection nested more than `bound` levels deep, or undefined. */
function firstNodeDeeperThan(document: Document, bound: number): number | undefined {
  const { isCollection, isPair } = yaml();
  // Iterative, so that the check itself cannot exhaust the stack whatever the document.
  const pending: { node: unknown; depth: number }[] = [{ node: document.contents, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (!isCollection(node)) continue;
    if (depth >= bound) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        pending.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else pending.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Bound on alias expansion, as the yaml library counts it: generous for anchors used the way a person
 * uses them, far below what an exponential chain of aliases reaches.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Offsets of the comments that cut a plain value short: a `#` right after the value on its line and
 * followed by a word, as in `reason: reads #iommu-cells of the node`. YAML is right to read a comment
 * there, but nobody writes `#word` meaning one, and the value silently loses the rest of its line.
 * A comment written as one (`value  # note`) has a space after the `#` and is left alone.
 */
function commentsCuttingValues(document: Document, text: string): number[] {
  const { isScalar, Scalar, visit } = yaml();
  const offsets: number[] = [];
  visit(document, {
    Scalar(_key, node) {
      if (!isScalar(node) || node.type !== Scalar.PLAIN || node.range === undefined || node.range === null) return;
      const match = /^[ \t]+#(?=[^\s#])/.exec(text.slice(node.range[1], node.range[2]));
      if (match) offsets.push(node.range[1] + match[0].length - 1);
    },
  });
  return offsets;
}

/** 1-based line and column of `offset` in `text`, counted without the parser. */
function positionOfOffset(text: string, offset: number, file: string): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

/** Offset of the first alias in the document (where an expansion problem is reported). */
function firstAliasOffset(document: Document): number {
  const { isAlias, visit } = yaml();
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/**
 * Reads and parses a YAML file; an unreadable file (missing, not a regular file, larger than the
 * bound of `kind`) is a located problem, not an exception. `display` is the name positions carry
 * (e.g. a path relative to the repository).
 */
export function readLocatedYaml(file: string, display = file, kind: InputKind | 'file' = 'file'): ParseResult {
  const read = readInputText(file, kind);
  if (!read.ok) return { ok: false, problems: [specProblem('readFailure', { file: display, line: 1, column: 1 }, [], read.error.detail)] };
  return parseLocatedYaml(read.text, display);
}

function locate(
  document: Document,
  path: readonly (string | number)[],
  at: (offset: number) => SourcePosition,
): SourcePosition {
  const { isMap, isNode, isScalar } = yaml();
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
