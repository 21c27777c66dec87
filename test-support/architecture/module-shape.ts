/**
 * What a module holds, read from its syntax tree (oxc's TypeScript parser): only type declarations,
 * only re-exports of other modules, or code. Modules of the first two shapes have no behaviour of
 * their own to test.
 */
import { parseSync } from 'oxc-parser';

/** The shape of one module. */
export type ModuleShape =
  /** Interfaces, type aliases and type-only imports and exports: nothing runs. */
  | 'types-only'
  /** A public entry (`index.ts`) that only re-exports other modules, possibly with type declarations. */
  | 're-exports-only'
  /** Anything that runs. */
  | 'code';

/** A statement of the syntax tree, as far as the shape needs it. */
interface Statement {
  readonly type: string;
  /** An ambient declaration (`declare module 'x' { ... }`, `declare global { ... }`): no code is emitted for it. */
  readonly declare?: boolean;
  readonly importKind?: string;
  readonly exportKind?: string;
  readonly source?: unknown;
  readonly declaration?: { readonly type: string } | null;
  readonly specifiers?: readonly { readonly importKind?: string }[];
}

const typeDeclarations = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration']);

function isTypeOnly(statement: Statement): boolean {
  switch (statement.type) {
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
      return true;
    // `declare module 'vitest' { interface TaskMeta ... }` augments a type and emits nothing; a
    // namespace without `declare` may hold values, so it counts as code.
    case 'TSModuleDeclaration':
      return statement.declare === true;
    case 'ImportDeclaration': {
      // `import { type A }` keeps an import at run time only when nothing is named, so a list of
      // type specifiers counts as type-only, an empty list (a side-effect import) does not.
      const specifiers = statement.specifiers ?? [];
      return statement.importKind === 'type' || (specifiers.length > 0 && specifiers.every((specifier) => specifier.importKind === 'type'));
    }
    case 'ExportNamedDeclaration':
      return statement.exportKind === 'type' || (statement.declaration !== null && statement.declaration !== undefined && typeDeclarations.has(statement.declaration.type));
    case 'ExportAllDeclaration':
      return statement.exportKind === 'type';
    default:
      return false;
  }
}

function isReExport(statement: Statement): boolean {
  if (statement.type === 'ExportAllDeclaration') return true;
  return statement.type === 'ExportNamedDeclaration' && statement.source !== null && statement.source !== undefined && !statement.declaration;
}

/** The shape of the module `file` (its name picks the parser's dialect) holding `source`. */
export function moduleShape(file: string, source: string): ModuleShape {
  const parsed = parseSync(file, source);
  if (parsed.errors.length > 0) return 'code';
  const body = parsed.program.body as unknown as readonly Statement[];
  if (body.every(isTypeOnly)) return 'types-only';
  if (body.some(isReExport) && body.every((statement) => isReExport(statement) || isTypeOnly(statement))) return 're-exports-only';
  return 'code';
}
