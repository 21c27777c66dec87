/**
 * The width of fields that hold other layouts (a nested layout, an array of layouts or of integers)
 * is known only once the nested layout is: resolved here, on demand, with cycle detection.
 */
import type { SourcePosition } from '../../core/source-position.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { FieldModel, LayoutModel, UnionModel } from '../model/spec-model.ts';

/**
 * Returns a function that sets the `bits` of a nested-layout or array field (and, first, of the
 * nested layout's own fields). A nested layout that is a union, has a variable size or contains
 * itself is a problem appended to `problems`, once per field that names it.
 */
export function nestedWidthResolver(layouts: ReadonlyMap<string, LayoutModel | UnionModel>, problems: SpecProblem[]): (field: FieldModel) => void {
  const sizeOf = new Map<string, number>();
  const resolving = new Set<string>();
  const layoutSize = (name: string, at: SourcePosition): number | undefined => {
    const known = sizeOf.get(name);
    if (known !== undefined) return known;
    const target = layouts.get(name);
    // An unknown name is reported by the reference check.
    if (!target) return undefined;
    if (target.kind === 'union') {
      problems.push(specProblem('notNestable', at, [], `'${name}' is a union; only fixed layouts can be nested`));
      return undefined;
    }
    if (target.variable) {
      problems.push(specProblem('notNestable', at, [], `'${name}' has a variable size and cannot be nested`));
      return undefined;
    }
    if (resolving.has(name)) {
      problems.push(specProblem('recursiveLayout', at, [], `layout '${name}' contains itself`));
      return undefined;
    }
    resolving.add(name);
    for (const field of target.fields) resolveFieldWidth(field);
    resolving.delete(name);
    sizeOf.set(name, target.size);
    return target.size;
  };
  const resolveFieldWidth = (field: FieldModel): void => {
    if (field.type === 'layout' && field.layoutName !== undefined) {
      const size = layoutSize(field.layoutName, field.at);
      if (size !== undefined) field.bits = size * 8;
    } else if (field.type === 'array' && field.array) {
      if (field.array.bits !== undefined) field.bits = field.array.bits * field.array.count;
      else if (field.array.layoutName !== undefined) {
        const size = layoutSize(field.array.layoutName, field.at);
        if (size !== undefined) field.bits = size * 8 * field.array.count;
      }
    }
  };
  return resolveFieldWidth;
}
