/**
 * Checks that a layout's fields tile it: no two overlap, a `rest` tail comes last, and every bit of
 * the fixed part belongs to a field, so that encode(decode(bytes)) gives the bytes back (reserved
 * space is written down as an explicit reserved field).
 */
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { FieldModel, LayoutModel } from '../model/spec-model.ts';

/** Bit range [start, end) a field occupies; `end` is Infinity for a `rest` tail. */
export function fieldBitRange(field: FieldModel): [number, number] {
  const start = field.offset * 8 + field.bit;
  return [start, field.bytes === 'rest' ? Number.POSITIVE_INFINITY : start + field.bits];
}

/** Appends overlap, tail-order and coverage problems of `layout` to `problems`. */
export function checkCoverage(layout: LayoutModel, problems: SpecProblem[]): void {
  // Sorted by start bit, a field that starts before the previous one ends overlaps it.
  const sorted = [...layout.fields].sort((a, b) => fieldBitRange(a)[0] - fieldBitRange(b)[0]);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (fieldBitRange(current)[0] < fieldBitRange(previous)[1]) {
      problems.push(
        specProblem('overlappingFields', current.at, [], `layout ${layout.name}: field '${current.specName}' overlaps '${previous.specName}' (bits ${fieldBitRange(current)[0]} < ${fieldBitRange(previous)[1]})`),
      );
    }
  }
  const tail = layout.fields.find((field) => field.bytes === 'rest');
  if (tail && sorted[sorted.length - 1] !== tail) {
    problems.push(specProblem('overlappingFields', tail.at, [], `layout ${layout.name}: the 'rest' tail '${tail.specName}' must be the last field`));
  }
  let covered = 0;
  for (const field of sorted) {
    const [start, end] = fieldBitRange(field);
    if (start > covered) {
      problems.push(
        specProblem('uncoveredBits', field.at, [], `layout ${layout.name}: bits ${covered}..${start - 1} (byte ${Math.floor(covered / 8)}) belong to no field; add a reserved field`),
      );
    }
    covered = Math.max(covered, end);
  }
  if (covered < layout.size * 8) {
    problems.push(
      specProblem('uncoveredBits', layout.at, [], `layout ${layout.name}: bits ${covered}..${layout.size * 8 - 1} (from byte ${Math.floor(covered / 8)}) belong to no field; add a reserved field`),
    );
  }
}
