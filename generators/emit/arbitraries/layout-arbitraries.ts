/** Emits the arbitraries of one layout: valid values field by field, and near-valid values site by site. */
import type { LayoutModel } from '../../model/spec-model.ts';
import { fieldValidSource } from './field-arbitraries.ts';
import { breakSites, layoutHasNearValid } from './near-valid.ts';
import { arbitraryNames, type ArbitraryContext } from './sources.ts';

/** Source of the valid and (when the layout has a breakable constraint) near-valid arbitraries of `layout`. */
export function emitLayoutArbitraries(layout: LayoutModel, context: ArbitraryContext): string {
  const names = arbitraryNames(layout.name);
  const fieldsName = `${names.valid.slice(0, -'Arbitrary'.length)}FieldArbitraries`;
  const out: string[] = [];
  out.push(`function ${fieldsName}() {`);
  out.push('  return {');
  for (const field of layout.fields) out.push(`    ${field.name}: ${fieldValidSource(layout, field, context)},`);
  out.push('  };');
  out.push('}', '');
  out.push(`/** Values of {@link ${names.type}} that satisfy every constraint of ${layout.name}${layout.variable ? ' (tails of valid size)' : ''}. */`);
  out.push(`export function ${names.valid}(): fc.Arbitrary<${names.type}> {`);
  out.push(`  return fc.record(${fieldsName}());`);
  out.push('}', '');

  const sites = breakSites(layout, context.spec).filter(
    (site) => site.nestedLayout === undefined || layoutHasNearValid(site.nestedLayout, context.spec, new Set([layout.name])),
  );
  if (sites.length > 0) {
    out.push(
      `/** Values of {@link ${names.type}} that break exactly one constraint (${layout.name}), with the path and code of the broken one. */`,
    );
    out.push(`export function ${names.nearValid}(): fc.Arbitrary<NearValid<${names.type}>> {`);
    out.push(`  const fields = ${fieldsName}();`);
    out.push(`  const sites: fc.Arbitrary<NearValid<${names.type}>>[] = [`);
    for (const site of sites) {
      if (site.nestedLayout === undefined) {
        out.push(
          `    fc.record({ ...fields, ${site.property}: ${site.source} }).map((value) => ({ value, broken: { path: ${JSON.stringify(site.path)}, constraint: '${site.code}' as const } })),`,
        );
      } else {
        context.imports.add(site.nestedLayout);
        out.push(
          `    fc.tuple(fc.record(fields), ${arbitraryNames(site.nestedLayout).nearValid}()).map(([value, inner]) => ({ value: { ...value, ${site.property}: inner.value }, broken: { path: [${JSON.stringify(site.path[0])}, ...inner.broken.path], constraint: inner.broken.constraint } })),`,
        );
      }
    }
    out.push('  ];');
    out.push('  return fc.oneof(...sites);');
    out.push('}', '');
  }
  return out.join('\n');
}
