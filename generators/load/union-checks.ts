/**
 * Checks a union against the layouts it selects: every case names a fixed layout (not a union), the
 * discriminator lies inside each, and every discriminator value selects one case and can be read.
 */
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { LayoutModel, UnionModel } from '../model/spec-model.ts';

/** Appends the problems of `union` to `problems`. */
export function checkUnion(union: UnionModel, layouts: Map<string, LayoutModel | UnionModel>, problems: SpecProblem[]): void {
  const seen = new Map<number, string>();
  const names = [...union.cases.map((entry) => entry.layoutName), union.defaultLayout];
  for (const name of names) {
    const target = layouts.get(name);
    if (!target) {
      problems.push(specProblem('unknownReference', union.at, [], `union ${union.name}: unknown layout '${name}'`));
      continue;
    }
    if (target.kind === 'union') {
      problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: case '${name}' is itself a union`));
      continue;
    }
    const end = union.discriminator.offset + union.discriminator.bits / 8;
    if (end > target.size) {
      problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: discriminator ends at byte ${end}, past the ${target.size}-byte layout '${name}'`));
    }
  }
  for (const entry of union.cases) {
    for (const value of entry.values) {
      const previous = seen.get(value);
      if (previous !== undefined) {
        problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: value ${value} selects both '${previous}' and '${entry.layoutName}'`));
      }
      seen.set(value, entry.layoutName);
      const limit = union.discriminator.mask ?? 2 ** union.discriminator.bits - 1;
      if (value > limit || (union.discriminator.mask !== undefined && (value & ~union.discriminator.mask) !== 0)) {
        problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: value ${value} can never be read through the discriminator`));
      }
    }
  }
}
