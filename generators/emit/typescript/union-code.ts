/**
 * Emits a union: its type, which discriminator value selects which layout, a decoder that reads the
 * discriminator and dispatches, and an encoder and checker that dispatch on the variant.
 */
import { camelCase } from '../../model/names.ts';
import type { UnionModel } from '../../model/spec-model.ts';
import { readNumber } from './expressions.ts';
import { docComment, layoutNames } from './names.ts';

/** Emits the union type, decoder (dispatch on the discriminator), encoder and checker. */
export function emitUnion(union: UnionModel): string {
  const names = layoutNames(union.name);
  const layouts = [...new Set([...union.cases.map((entry) => entry.layoutName), union.defaultLayout])];
  const out: string[] = [];
  out.push(docComment(`${union.title}. ${union.doc} (${union.ref})${union.proposal ? ' PROPOSAL: not part of any standard.' : ''}`));
  out.push(`export type ${names.type} =`);
  for (const layout of layouts) out.push(`  | { variant: '${layout}'; value: ${layoutNames(layout).type} }`);
  out.push(';', '');
  const { offset, bits, mask } = union.discriminator;
  out.push(docComment(`Which layout of {@link ${names.type}} a discriminator value selects.`));
  out.push(`export const ${camelCase(union.name)}Union: UnionMeta = {`);
  out.push(`  name: '${union.name}', title: ${JSON.stringify(union.title)}, spec: '${union.spec}', ref: ${JSON.stringify(union.ref)}, proposal: ${union.proposal},`);
  out.push(
    `  discriminator: { offset: ${offset}, bits: ${bits}${mask !== undefined ? `, mask: ${mask}` : ''}${union.discriminator.field !== undefined ? `, field: '${union.discriminator.field}'` : ''} },`,
  );
  out.push(`  cases: [${union.cases.map((entry) => `{ values: [${entry.values.join(', ')}], layout: '${entry.layoutName}' }`).join(', ')}],`);
  out.push(`  defaultLayout: '${union.defaultLayout}',`);
  out.push('};', '');
  // The discriminator is read little-endian, as every union of the spec stores it.
  const read = readNumber(offset, bits / 8, false);
  out.push(docComment(`Decodes a {@link ${names.type}}: reads the discriminator and decodes the layout it selects; never throws.`));
  out.push(`export function ${names.decode}(b: Uint8Array, o = 0, end = b.length): Decoded<${names.type}> {`);
  out.push(`  const d = o >= 0 && o + ${offset + bits / 8} <= Math.min(end, b.length) ? ${read}${mask !== undefined ? ` & ${mask}` : ''} : -1;`);
  out.push('  switch (d) {');
  for (const entry of union.cases) {
    for (const value of entry.values) out.push(`    case ${value}:`);
    out.push(`      { const r = ${layoutNames(entry.layoutName).decode}(b, o, end); return { value: { variant: '${entry.layoutName}', value: r.value }, issues: r.issues }; }`);
  }
  out.push('    default:');
  out.push(`      { const r = ${layoutNames(union.defaultLayout).decode}(b, o, end); return { value: { variant: '${union.defaultLayout}', value: r.value }, issues: r.issues }; }`);
  out.push('  }');
  out.push('}', '');
  out.push(docComment(`Encodes a {@link ${names.type}} with the encoder of its variant.`));
  out.push(`export function ${names.encode}(u: ${names.type}, t?: Uint8Array, o = 0): Uint8Array {`);
  out.push('  switch (u.variant) {');
  for (const layout of layouts) out.push(`    case '${layout}': return ${layoutNames(layout).encode}(u.value, t, o);`);
  out.push('  }');
  out.push('}', '');
  out.push(docComment(`Checks a {@link ${names.type}} with the checker of its variant.`));
  out.push(`export function ${names.check}(u: ${names.type}): LayoutIssue[] {`);
  out.push('  switch (u.variant) {');
  for (const layout of layouts) out.push(`    case '${layout}': return ${layoutNames(layout).check}(u.value);`);
  out.push('  }');
  out.push('}', '');
  out.push(docComment(`The codec of {@link ${names.type}} behind the uniform {@link UnionCodec} interface.`));
  out.push(
    `export const ${names.codec}: UnionCodec<${names.type}> = { meta: ${camelCase(union.name)}Union, decode: ${names.decode}, encode: ${names.encode}, check: ${names.check} };`,
    '',
  );
  return out.join('\n');
}
