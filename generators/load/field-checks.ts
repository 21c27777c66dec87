/**
 * Checks the fields of one layout on their own: references to enums, flag sets and layouts exist,
 * names are unique, widths and positions suit the type, fields end inside the layout, and the
 * constraints of each integer field are valid for its width and satisfiable together.
 */
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import { isSatisfiable } from '../constraints/domain.ts';
import { appliedConstraints, integerRule, type RuleContext } from '../constraints/registry.ts';
import { maxOf } from '../emit/ts-literal.ts';
import type { FieldModel, LayoutModel } from '../model/spec-model.ts';
import type { Definitions } from './definitions.ts';
import { fieldBitRange } from './layout-coverage.ts';

/** Whether a field holds an integer (and so may carry constraints and start inside a byte). */
export function isIntegerLike(field: FieldModel): boolean {
  return field.type === 'uint' || field.type === 'bool' || field.type === 'enum' || field.type === 'flags';
}

/** Appends a problem for every enum, flag set or layout `field` names that `definitions` lacks. */
export function checkReferences(field: FieldModel, definitions: Definitions, problems: SpecProblem[]): void {
  const missing = (kind: string, name: string): void => {
    problems.push(specProblem('unknownReference', field.at, [], `field ${field.specName}: unknown ${kind} '${name}'`));
  };
  if (field.enumName !== undefined && !definitions.enums.has(field.enumName)) missing('enum', field.enumName);
  if (field.flagsetName !== undefined && !definitions.flagsets.has(field.flagsetName)) missing('flag set', field.flagsetName);
  if (field.layoutName !== undefined && !definitions.layouts.has(field.layoutName)) missing('layout', field.layoutName);
  if (field.array?.layoutName !== undefined && !definitions.layouts.has(field.array.layoutName)) missing('layout', field.array.layoutName);
}

/** Appends problems of the width and position of `field` within `layout`. */
function checkShape(layout: LayoutModel, field: FieldModel, problems: SpecProblem[]): void {
  const integerLike = isIntegerLike(field);
  if (integerLike && field.bits === 0) {
    problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: an integer field needs a width (bits)`));
  }
  if (integerLike) {
    const containerBytes = Math.ceil((field.bit + field.bits) / 8);
    if (field.bits > 64 || containerBytes > 8) {
      problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: a ${field.bits}-bit field starting at bit ${field.bit} spans ${containerBytes} bytes (at most 8)`));
    }
  } else if (field.bit !== 0) {
    problems.push(specProblem('unalignedField', field.at, [], `field ${field.specName}: only integer fields may start inside a byte`));
  }
  if (field.type === 'array' && field.array?.bits !== undefined && field.bit !== 0) {
    problems.push(specProblem('unalignedField', field.at, [], `field ${field.specName}: arrays must be byte aligned`));
  }
  const end = fieldBitRange(field)[1];
  if (field.bytes === 'rest') {
    if (!layout.variable) {
      problems.push(specProblem('fieldPastSize', field.at, [], `field ${field.specName}: a 'rest' tail needs a variable layout (minSize, not size)`));
    } else if (field.offset > layout.size) {
      problems.push(specProblem('fieldPastSize', field.at, [], `field ${field.specName}: the tail starts at byte ${field.offset}, past minSize ${layout.size}`));
    }
  } else if (end > layout.size * 8) {
    problems.push(
      specProblem('fieldPastSize', field.at, [], `field ${field.specName}: ends at byte ${Math.ceil(end / 8)} (bit ${end}), past the layout's ${layout.variable ? 'minSize' : 'size'} of ${layout.size}`),
    );
  }
}

/**
 * Appends problems of the constraints of an integer field: an enum value wider than the field, a
 * constraint no value of the width meets on its own, or constraints no value meets together.
 */
function checkConstraints(layout: LayoutModel, field: FieldModel, context: RuleContext, problems: SpecProblem[]): void {
  const max = maxOf(field.bits);
  const enumeration = field.type === 'enum' && field.enumName !== undefined ? context.enums.get(field.enumName) : undefined;
  for (const value of enumeration?.values ?? []) {
    if (value.value > max) {
      problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: enum value ${value.name}=${value.value} does not fit in ${field.bits} bits`));
    }
  }
  // A field naming an unknown enum or flag set is reported once, as an unknown reference.
  if (field.enumName !== undefined && !enumeration) return;
  if (field.flagsetName !== undefined && !context.flagsets.has(field.flagsetName)) return;
  const rule = integerRule(field, context);
  const applied = appliedConstraints(rule);
  let alone = false;
  for (const constraint of applied) {
    if (constraint.outsideWidth === undefined) continue;
    alone = true;
    problems.push(specProblem('constraintOutsideWidth', field.at, [], `layout ${layout.name}, field ${field.specName}: ${constraint.outsideWidth}`));
  }
  if (!alone && !isSatisfiable(rule)) {
    const described = applied.map((constraint) => constraint.expected).join(', ');
    problems.push(specProblem('unsatisfiableConstraint', field.at, [], `layout ${layout.name}, field ${field.specName}: no ${field.bits}-bit value satisfies ${described} together`));
  }
}

/** Appends the problems of every field of `layout` on its own (names, shapes, constraints). */
export function checkFields(layout: LayoutModel, context: RuleContext, problems: SpecProblem[]): void {
  const names = new Set<string>();
  for (const field of layout.fields) {
    if (names.has(field.specName)) {
      problems.push(specProblem('duplicateName', field.at, [], `layout ${layout.name}: field '${field.specName}' is defined twice`));
    }
    names.add(field.specName);
    checkShape(layout, field, problems);
    if (isIntegerLike(field)) checkConstraints(layout, field, context, problems);
    else if (Object.keys(field.constraints).length > 0) {
      problems.push(specProblem('constraintOnNonInteger', field.at, [], `field ${field.specName}: constraints apply only to integer fields`));
    }
  }
}
