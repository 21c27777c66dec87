/**
 * Emits a layout's checks: one straight-line test per constraint of each field, each written by its
 * constraint kind, shared by the decoder (absolute offsets) and the exported `check()` (offsets
 * relative to the layout); `check()` adds the runtime's generic width checks and the nested layouts'.
 */
import { appliedConstraints, integerRule, type RuleContext } from '../../constraints/registry.ts';
import { reservedArray, reservedBytes, reservedZeroKind } from '../../constraints/reserved-zero.ts';
import type { FieldModel, LayoutModel } from '../../model/spec-model.ts';
import { isNumberField } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** A single-quoted string literal. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Source of the statement appending the issue of field `index` when `condition` holds. */
function issueStatement(layout: LayoutModel, index: number, condition: string, code: string, actual: string, expected: string): string {
  return `if (${condition}) issues = withFieldIssue(issues, ${layoutNames(layout.name).meta}, ${index}, base, '${code}', ${actual}, ${quoted(expected)});`;
}

/** Statements checking one field of `value`; they extend `issues`. Empty when the field has nothing to check. */
export function fieldChecks(layout: LayoutModel, index: number, context: RuleContext): string[] {
  const field: FieldModel = layout.fields[index]!;
  const value = `value.${field.name}`;
  switch (field.type) {
    case 'uint':
    case 'enum':
    case 'flags': {
      const asNumber = isNumberField(field);
      const lines: string[] = [];
      for (const constraint of appliedConstraints(integerRule(field, context))) {
        const condition = constraint.brokenWhen('x', asNumber);
        if (condition !== undefined) lines.push(`  ${issueStatement(layout, index, condition, constraint.code, 'x', constraint.expected)}`);
      }
      return lines.length > 0 ? ['{', `  const x = ${value};`, ...lines, '}'] : [];
    }
    case 'bytes':
      if (field.access !== 'RsvdZ') return [];
      return [issueStatement(layout, index, reservedBytes.brokenWhen(value), reservedZeroKind.code, quoted(reservedBytes.actual), reservedBytes.expected)];
    case 'array': {
      const bits = field.array?.bits;
      if (bits === undefined || field.access !== 'RsvdZ') return [];
      return [issueStatement(layout, index, reservedArray.brokenWhen(value, bits <= 32), reservedZeroKind.code, quoted(reservedArray.actual), reservedArray.expected)];
    }
    default:
      // Booleans are held to no constraint; nested layouts are checked by their own checker.
      return [];
  }
}

/** The layout's internal field checker and its exported `check()`, as source lines. */
export function emitChecker(layout: LayoutModel, context: RuleContext): string[] {
  const names = layoutNames(layout.name);
  const out: string[] = [];
  out.push(`function checkFields${names.type}(value: ${names.type}, base: number, issues: LayoutIssue[]): LayoutIssue[] {`);
  layout.fields.forEach((_, index) => {
    for (const line of fieldChecks(layout, index, context)) out.push(`  ${line}`);
  });
  out.push('  return issues;');
  out.push('}', '');

  out.push(docComment(`Checks a {@link ${names.type}} value against every constraint of the layout; offsets in issues are relative to the layout start.`));
  out.push(`export function ${names.check}(value: ${names.type}): LayoutIssue[] {`);
  const nested = layout.fields.filter((field) => field.type === 'layout');
  out.push(`  ${nested.length > 0 ? 'let' : 'const'} issues = withWidthIssues(checkFields${names.type}(value, 0, noIssues), ${names.meta}, value);`);
  for (const field of nested) {
    out.push(`  issues = nestIssues(${layoutNames(field.layoutName!).check}(value.${field.name}), issues, '${field.specName}', ${field.offset});`);
  }
  out.push('  return issues === noIssues ? [] : issues;');
  out.push('}', '');
  return out;
}
