/** Emits a layout's `LayoutMeta`: the field metadata code reads instead of typing offsets by hand. */
import { appliedConstraints, integerRule, type RuleContext } from '../../constraints/registry.ts';
import type { FieldModel, LayoutModel } from '../../model/spec-model.ts';
import { isNumberField } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** The field's `constraints` literal, each entry written by its kind; undefined when it has none. */
export function constraintsLiteral(field: FieldModel, context: RuleContext): string | undefined {
  const asNumber = isNumberField(field);
  const entries: string[] = [];
  for (const constraint of appliedConstraints(integerRule(field, context))) {
    if (constraint.metaEntry) entries.push(constraint.metaEntry(asNumber));
  }
  return entries.length > 0 ? `{ ${entries.join(', ')} }` : undefined;
}

/** One field's metadata object, as source. */
function fieldMeta(field: FieldModel, context: RuleContext): string {
  const ref = field.enumName ?? field.flagsetName ?? field.layoutName ?? field.array?.layoutName;
  const constraints = constraintsLiteral(field, context);
  const parts = [
    `specName: '${field.specName}'`,
    `name: '${field.name}'`,
    `offset: ${field.offset}`,
    `bit: ${field.bit}`,
    `bits: ${field.bits}`,
    `type: '${field.type}'`,
    `access: '${field.access}'`,
    ...(field.since !== undefined ? [`since: '${field.since}'`] : []),
    ...(field.until !== undefined ? [`until: '${field.until}'`] : []),
    ...(ref !== undefined ? [`ref: '${ref}'`] : []),
    ...(field.requirement !== undefined ? [`requirement: '${field.requirement}'`] : []),
    ...(constraints !== undefined ? [`constraints: ${constraints}`] : []),
    ...(field.array !== undefined ? [`count: ${field.array.count}`] : []),
    `doc: ${JSON.stringify(field.doc)}`,
  ];
  return `{ ${parts.join(', ')} }`;
}

/** The layout's `LayoutMeta` constant, as source lines. */
export function emitLayoutMeta(layout: LayoutModel, context: RuleContext): string[] {
  const names = layoutNames(layout.name);
  const out: string[] = [];
  out.push(docComment(`Field metadata of {@link ${names.type}}: offsets, widths, access and versions, for code that must not type offsets by hand.`));
  out.push(`export const ${names.meta}: LayoutMeta = {`);
  out.push(`  name: '${layout.name}',`);
  out.push(`  title: ${JSON.stringify(layout.title)},`);
  out.push(`  size: ${layout.size},`);
  out.push(`  variable: ${layout.variable},`);
  if (layout.sizeMultipleOf !== undefined) out.push(`  sizeMultipleOf: ${layout.sizeMultipleOf},`);
  out.push(`  spec: '${layout.spec}',`);
  out.push(`  ref: ${JSON.stringify(layout.ref)},`);
  out.push(`  proposal: ${layout.proposal},`);
  out.push('  fields: [');
  for (const field of layout.fields) out.push(`    ${fieldMeta(field, context)},`);
  out.push('  ],');
  out.push('};', '');
  return out;
}
