/**
 * What the sources say about errors, parsed (not grepped) with oxc's TypeScript parser: every class
 * that extends another (so that error classes are found however deep they derive), the string
 * literal types of every type alias (so `XvcError<InputFileProblem>` resolves to its entries), and
 * every catalogue name a module uses (a string literal, or a property read off `diagnostics`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSync } from 'oxc-parser';

/** One class declaration with a superclass. */
export interface DerivedClass {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The superclass as written (an identifier; undefined for an expression). */
  readonly superClass: string | undefined;
  /** The catalogue names of its first type argument, when it has one (`XvcError<'badUsage'>`). */
  readonly entries: readonly string[] | undefined;
}

/** The facts {@link scanSources} collects. */
export interface ErrorFacts {
  readonly classes: readonly DerivedClass[];
  /** Type alias → the string literals of its union (empty when it has none). */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Every string literal and every `diagnostics.X` property name, with the files they occur in. */
  readonly used: ReadonlyMap<string, readonly string[]>;
  /** Files that could not be parsed: the facts would be incomplete. */
  readonly problems: readonly string[];
}

type Node = { type?: string; start?: number; [key: string]: unknown };

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) if (isNode(item)) out.push(item);
    if (isNode(value) && !Array.isArray(value)) out.push(value);
  }
  return out;
}

/** String literals of a type: `'a'`, `'a' | 'b'`, or references to other aliases (resolved later). */
function literalsOf(type: Node | undefined): { literals: string[]; references: string[] } {
  const literals: string[] = [];
  const references: string[] = [];
  const visit = (node: Node | undefined): void => {
    if (!node) return;
    if (node.type === 'TSUnionType') for (const member of node.types as Node[]) visit(member);
    else if (node.type === 'TSLiteralType' && isNode(node.literal) && typeof node.literal.value === 'string') literals.push(node.literal.value);
    else if (node.type === 'TSTypeReference' && isNode(node.typeName) && typeof node.typeName.name === 'string') references.push(node.typeName.name);
  };
  visit(type);
  return { literals, references };
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < source.length; index++) if (source.charCodeAt(index) === 10) line++;
  return line;
}

/** Parses `files` (relative to `root`) and collects their classes, aliases and used names. */
export function scanSources(root: string, files: readonly string[]): ErrorFacts {
  const classes: (Omit<DerivedClass, 'entries'> & { literals: string[]; references: string[]; typed: boolean })[] = [];
  const aliasParts = new Map<string, { literals: string[]; references: string[] }>();
  const used = new Map<string, string[]>();
  const problems: string[] = [];
  const use = (name: string, file: string): void => {
    const where = used.get(name);
    if (where === undefined) used.set(name, [file]);
    else if (!where.includes(file)) where.push(file);
  };
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    const parsed = parseSync(file, source);
    if (parsed.errors.length > 0) {
      problems.push(`${file}: ${parsed.errors.map((error) => error.message).join('; ')}`);
      continue;
    }
    const stack: Node[] = [parsed.program as unknown as Node];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.superClass) {
        const superClass = isNode(node.superClass) && node.superClass.type === 'Identifier' ? (node.superClass.name as string) : undefined;
        const first = isNode(node.superTypeArguments) ? (node.superTypeArguments.params as Node[])[0] : undefined;
        const { literals, references } = literalsOf(first);
        const name = isNode(node.id) ? (node.id.name as string) : '(anonymous)';
        classes.push({ name, file, line: lineOf(source, node.start ?? 0), superClass, literals, references, typed: first !== undefined });
      }
      if (node.type === 'TSTypeAliasDeclaration' && isNode(node.id)) {
        const parts = literalsOf(node.typeAnnotation as Node);
        const previous = aliasParts.get(node.id.name as string);
        aliasParts.set(node.id.name as string, previous ? { literals: [...previous.literals, ...parts.literals], references: [...previous.references, ...parts.references] } : parts);
      }
      if (node.type === 'Literal' && typeof node.value === 'string') use(node.value, file);
      if (node.type === 'MemberExpression' && isNode(node.object) && (node.object.name === 'diagnostics' || node.object.name === 'specDiagnostics') && isNode(node.property) && node.computed !== true) {
        use(node.property.name as string, file);
      }
      stack.push(...children(node));
    }
  }
  const resolve = (name: string, seen = new Set<string>()): string[] => {
    const parts = aliasParts.get(name);
    if (!parts || seen.has(name)) return [];
    seen.add(name);
    return [...parts.literals, ...parts.references.flatMap((reference) => resolve(reference, seen))];
  };
  const aliases = new Map([...aliasParts.keys()].map((name) => [name, resolve(name)] as const));
  // The walk is depth-first from the end; report classes in source order.
  classes.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return {
    classes: classes.map(({ literals, references, typed, ...rest }) => ({
      ...rest,
      entries: typed ? [...literals, ...references.flatMap((reference) => aliases.get(reference) ?? [`<unresolved type ${reference}>`])] : undefined,
    })),
    aliases,
    used,
    problems,
  };
}

/** Why a class breaks the rules of the catalogue. */
export interface CatalogueViolation {
  readonly code: 'not-an-xvc-error' | 'uncatalogued-entry' | 'no-entry';
  readonly message: string;
}

/**
 * Checks every error class: one that derives from Error must derive from XvcError (unless listed in
 * `exempt`), and one that extends XvcError directly must name catalogue entries only.
 */
export function checkErrorClasses(classes: readonly DerivedClass[], catalogue: ReadonlySet<string>, exempt: ReadonlySet<string> = new Set()): CatalogueViolation[] {
  const byName = new Map<string, DerivedClass[]>();
  for (const derived of classes) byName.set(derived.name, [...(byName.get(derived.name) ?? []), derived]);
  const ancestry = (derived: DerivedClass): string[] => {
    const chain: string[] = [];
    let current: DerivedClass | undefined = derived;
    while (current?.superClass !== undefined && !chain.includes(current.superClass)) {
      chain.push(current.superClass);
      current = byName.get(current.superClass)?.[0];
    }
    return chain;
  };
  const violations: CatalogueViolation[] = [];
  for (const derived of classes) {
    if (derived.name === 'XvcError') continue;
    const chain = ancestry(derived);
    const where = `${derived.file}:${derived.line} ${derived.name}`;
    if (!chain.includes('Error') && !chain.includes('XvcError')) continue;
    if (!chain.includes('XvcError')) {
      if (!exempt.has(derived.name)) violations.push({ code: 'not-an-xvc-error', message: `${where} extends ${chain.join(' → ')} but not XvcError (core/xvc-error.ts)` });
      continue;
    }
    if (derived.superClass !== 'XvcError') continue;
    if (derived.entries === undefined || derived.entries.length === 0) {
      violations.push({ code: 'no-entry', message: `${where} extends XvcError without naming its catalogue entries (XvcError<'name'>)` });
      continue;
    }
    for (const entry of derived.entries) {
      if (!catalogue.has(entry)) violations.push({ code: 'uncatalogued-entry', message: `${where} names '${entry}', which core/diagnostics.ts does not list` });
    }
  }
  return violations;
}
