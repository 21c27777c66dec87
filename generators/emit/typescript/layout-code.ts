/**
 * Emits the TypeScript for one layout or union: its type, decoder, encoder, checker, metadata and
 * codec object. The emitted code is straight-line per field; no metadata is interpreted at run time.
 */
import { describeConstraints } from '../../load/constraint-solver.ts';
import { camelCase } from '../../load/layouts.ts';
import type { EnumModel, FieldModel, FlagsetModel, LayoutModel, SpecModel, UnionModel } from '../../model/spec-model.ts';
import { isNumberField, literal, readField, writeField } from './expressions.ts';

/** Names used for one layout's exports. */
export function layoutNames(name: string): {
  type: string;
  decode: string;
  encode: string;
  check: string;
  meta: string;
  codec: string;
  size: string;
  offsets: string;
} {
  const pascal = camelCase(name).replace(/^./, (first) => first.toUpperCase());
  const upper = name.toUpperCase();
  return {
    type: pascal,
    decode: `decode${pascal}`,
    encode: `encode${pascal}`,
    check: `check${pascal}`,
    meta: `${camelCase(name)}Layout`,
    codec: `${camelCase(name)}Codec`,
    size: `${upper}_SIZE`,
    offsets: `${upper}_OFFSETS`,
  };
}

/** Escapes text for a `/** ... *\/` comment. */
export function docComment(text: string, indent = ''): string {
  return `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */`;
}

function fieldType(field: FieldModel, spec: SpecModel): string {
  switch (field.type) {
    case 'bool':
      return 'boolean';
    case 'bytes':
      return 'Uint8Array';
    case 'layout':
      return layoutNames(field.layoutName!).type;
    case 'array':
      if (field.array?.layoutName !== undefined) return `${layoutNames(field.array.layoutName).type}[]`;
      return (field.array?.bits ?? 32) <= 32 ? 'number[]' : 'bigint[]';
    default:
      void spec;
      return isNumberField(field) ? 'number' : 'bigint';
  }
}

/** One issue object literal, as source. */
function issueSource(
  layout: LayoutModel,
  field: FieldModel,
  code: string,
  expected: string,
  actual: string,
  extraPath = '',
): string {
  const requirement = field.requirement !== undefined ? `, requirement: '${field.requirement}'` : '';
  const path = extraPath === '' ? `['${field.specName}']` : `['${field.specName}', ${extraPath}]`;
  const shown = actual.startsWith("'") ? actual.slice(1, -1) : `\${hex(${actual})}`;
  return `{ code: '${code}', layout: '${layout.name}', path: ${path}, byteOffset: base + ${field.offset}, actual: ${actual}, expected: '${expected}'${requirement}, message: \`${layout.name}.${field.specName} at byte \${base + ${field.offset}}: expected ${expected}, found ${shown}\` }`;
}

/** Statements checking one integer-like field held in `x`; they extend `issues`. */
function constraintChecks(
  layout: LayoutModel,
  field: FieldModel,
  enums: Map<string, EnumModel>,
  flagsets: Map<string, FlagsetModel>,
): string[] {
  const lines: string[] = [];
  const asNumber = isNumberField(field);
  const lit = (value: bigint): string => literal(value, asNumber);
  const zero = asNumber ? '0' : '0n';
  const add = (condition: string, code: string, expected: string): void => {
    lines.push(`if (${condition}) issues = withIssue(issues, ${issueSource(layout, field, code, expected, 'x')});`);
  };
  const c = field.constraints;
  if (field.type === 'bool') return lines;
  if (field.access === 'RsvdZ') add(`x !== ${zero}`, 'reserved-nonzero', '0 (reserved, zero)');
  if (c.const !== undefined) add(`x !== ${lit(c.const)}`, 'const', describeConstraints({ const: c.const }));
  if (c.oneOf) add(c.oneOf.map((value) => `x !== ${lit(value)}`).join(' && '), 'one-of', describeConstraints({ oneOf: c.oneOf }));
  if (c.range) {
    const conditions: string[] = [];
    if (c.range[0] > 0n) conditions.push(`x < ${lit(c.range[0])}`);
    if (c.range[1] < (1n << BigInt(field.bits)) - 1n) conditions.push(`x > ${lit(c.range[1])}`);
    if (conditions.length > 0) add(conditions.join(' || '), 'range', describeConstraints({ range: c.range }));
  }
  if (c.align !== undefined) add(`x % ${lit(BigInt(c.align))} !== ${zero}`, 'align', `align ${c.align}`);
  if (c.multipleOf !== undefined) add(`x % ${lit(BigInt(c.multipleOf))} !== ${zero}`, 'multiple-of', `multipleOf ${c.multipleOf}`);
  if (c.powerOfTwo !== undefined) {
    const notPower = asNumber ? `(x <= 0 || (x & (x - 1)) !== 0)` : `(x <= 0n || (x & (x - 1n)) !== 0n)`;
    const condition = c.powerOfTwo === 'orZero' ? `x !== ${zero} && ${notPower}` : notPower;
    add(condition, 'power-of-two', c.powerOfTwo === 'orZero' ? 'power of two or zero' : 'power of two');
  }
  if (c.notEqual) add(c.notEqual.map((value) => `x === ${lit(value)}`).join(' || '), 'not-equal', describeConstraints({ notEqual: c.notEqual }));
  if (field.type === 'enum' && !field.open && field.enumName !== undefined) {
    const values = enums.get(field.enumName)?.values ?? [];
    add(values.map((value) => `x !== ${lit(value.value)}`).join(' && ') || 'false', 'enum', `a ${field.enumName} value`);
  }
  if (field.type === 'flags' && field.flagsetName !== undefined) {
    // Bits the flag set does not define are reserved: a device must not set them.
    const full = (1n << BigInt(field.bits)) - 1n;
    let known = 0n;
    for (const flag of flagsets.get(field.flagsetName)?.flags ?? []) if (flag.bit < field.bits) known |= 1n << BigInt(flag.bit);
    const unknown = full & ~known;
    if (unknown !== 0n) add(`(x & ${lit(unknown)}) !== ${zero}`, 'flags', `only ${field.flagsetName} bits`);
  }
  return lines;
}

/** Statements checking that a value fits its field (only `check()` needs them: decoded values always fit). */
function widthChecks(layout: LayoutModel, field: FieldModel): string[] {
  const value = `value.${field.name}`;
  const fail = (condition: string, expected: string): string =>
    `if (${condition}) issues = withIssue(issues, ${issueSource(layout, field, 'width', expected, "'a value that does not fit'")});`;
  switch (field.type) {
    case 'uint':
    case 'enum':
    case 'flags': {
      const max = (1n << BigInt(field.bits)) - 1n;
      return isNumberField(field)
        ? [fail(`!Number.isInteger(${value}) || ${value} < 0 || ${value} > ${literal(max, true)}`, `an integer in [0, ${max}]`)]
        : [fail(`typeof ${value} !== 'bigint' || ${value} < 0n || ${value} > ${literal(max, false)}`, `a bigint in [0, ${max}]`)];
    }
    case 'bytes':
      return typeof field.bytes === 'number' ? [fail(`${value}.length !== ${field.bytes}`, `${field.bytes} bytes`)] : [];
    case 'array':
      return [fail(`${value}.length !== ${field.array!.count}`, `${field.array!.count} elements`)];
    default:
      return [];
  }
}

function constraintsLiteral(field: FieldModel): string {
  const asNumber = isNumberField(field);
  const lit = (value: bigint): string => literal(value, asNumber);
  const c = field.constraints;
  const parts: string[] = [];
  if (c.const !== undefined) parts.push(`const: ${lit(c.const)}`);
  if (c.oneOf) parts.push(`oneOf: [${c.oneOf.map(lit).join(', ')}]`);
  if (c.range) parts.push(`range: [${lit(c.range[0])}, ${lit(c.range[1])}]`);
  if (c.align !== undefined) parts.push(`align: ${c.align}`);
  if (c.multipleOf !== undefined) parts.push(`multipleOf: ${c.multipleOf}`);
  if (c.powerOfTwo !== undefined) parts.push(`powerOfTwo: ${c.powerOfTwo === true ? 'true' : "'orZero'"}`);
  if (c.notEqual) parts.push(`notEqual: [${c.notEqual.map(lit).join(', ')}]`);
  return `{ ${parts.join(', ')} }`;
}

/** Emits everything for one fixed or variable layout. */
export function emitLayout(layout: LayoutModel, spec: SpecModel): string {
  const names = layoutNames(layout.name);
  const bigEndian = layout.endianness === 'big';
  const out: string[] = [];
  const tail = layout.fields.find((field) => field.bytes === 'rest');

  out.push(docComment(`${layout.title}. ${layout.doc} (${layout.ref})${layout.proposal ? ' PROPOSAL: not part of any standard.' : ''}`));
  out.push(`export interface ${names.type} {`);
  for (const field of layout.fields) {
    out.push(docComment(`${field.doc}${field.since ? ` Since ${layout.spec} ${field.since}.` : ''}`, '  '));
    out.push(`  ${field.name}: ${fieldType(field, spec)};`);
  }
  out.push('}', '');

  out.push(docComment(`${layout.variable ? 'Minimum size' : 'Size'} of {@link ${names.type}} in bytes.`));
  out.push(`export const ${names.size} = ${layout.size};`, '');
  out.push(docComment(`Byte offset of every field of {@link ${names.type}}.`));
  out.push(`export const ${names.offsets} = {`);
  for (const field of layout.fields) out.push(`  ${field.name}: ${field.offset},`);
  out.push('} as const;', '');

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
  for (const field of layout.fields) {
    const ref = field.enumName ?? field.flagsetName ?? field.layoutName ?? field.array?.layoutName;
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
      ...(Object.keys(field.constraints).length > 0 ? [`constraints: ${constraintsLiteral(field)}`] : []),
      `doc: ${JSON.stringify(field.doc)}`,
    ];
    out.push(`    { ${parts.join(', ')} },`);
  }
  out.push('  ],');
  out.push('};', '');

  // Decoder.
  out.push(docComment(`Decodes {@link ${names.type}} at \`offset\`; never throws. Problems, including truncation, are returned as issues. Byte-string fields are views into \`b\` (copy them to keep them past a change of \`b\`).`));
  out.push(`export function ${names.decode}(b: Uint8Array, o = 0, end = b.length): Decoded<${names.type}> {`);
  out.push(`  if (o < 0 || o + ${layout.size} > end || end > b.length) return decodeTruncated${names.type}(b, o, end);`);
  out.push(`  let issues: LayoutIssue[] = noIssues;`);
  for (const field of layout.fields) {
    if (field.type === 'layout') {
      const nested = layoutNames(field.layoutName!);
      out.push(`  const n_${field.name} = ${nested.decode}(b, o + ${field.offset});`);
      out.push(`  if (n_${field.name}.issues.length > 0) issues = nestIssues(n_${field.name}.issues, issues, '${field.specName}');`);
    }
  }
  out.push(`  const value: ${names.type} = {`);
  for (const field of layout.fields) out.push(`    ${field.name}: ${decodeExpression(field, bigEndian, layout)},`);
  out.push('  };');
  out.push(`  issues = checkFields${names.type}(value, o, issues);`);
  if (layout.sizeMultipleOf !== undefined) {
    out.push(
      `  if ((end - o) % ${layout.sizeMultipleOf} !== 0) issues = withIssue(issues, { code: 'size-multiple', layout: '${layout.name}', path: [], byteOffset: o, actual: end - o, expected: 'size multiple of ${layout.sizeMultipleOf}', message: \`${layout.name} at byte \${o}: size \${end - o} is not a multiple of ${layout.sizeMultipleOf}\` });`,
    );
  }
  out.push('  return { value, issues };');
  out.push('}', '');

  // Truncated input: decode a zero-padded copy, then say which fields were cut.
  out.push(`function decodeTruncated${names.type}(b: Uint8Array, o: number, end: number): Decoded<${names.type}> {`);
  // A negative offset has no data at all; otherwise what lies between o and the end.
  out.push(`  const limit = o < 0 ? 0 : Math.max(0, Math.min(end, b.length) - o);`);
  out.push(`  const padded = padTruncated(b.subarray(0, Math.min(end, b.length)), o, ${layout.size});`);
  out.push(`  const inner = ${names.decode}(padded, 0, ${layout.size});`);
  out.push(`  let issues: LayoutIssue[] = noIssues;`);
  // Constraint issues of fields that were cut are about padding, not data: only truncation is reported for them.
  out.push(`  const cut = new Set<string>();`);
  out.push(`  for (const field of ${names.meta}.fields) if (field.offset * 8 + field.bit + field.bits > limit * 8) cut.add(field.specName);`);
  out.push(`  for (const issue of inner.issues) {`);
  out.push(`    if (issue.code === 'size-multiple' || cut.has(issue.path[0] ?? '')) continue;`);
  out.push(`    issues = withIssue(issues, { ...issue, byteOffset: issue.byteOffset + o });`);
  out.push('  }');
  out.push(`  for (const field of ${names.meta}.fields) {`);
  out.push(`    if (cut.has(field.specName)) {`);
  out.push(
    `      issues = withIssue(issues, { code: 'truncated', layout: '${layout.name}', path: [field.specName], byteOffset: o + field.offset, actual: limit, expected: \`\${Math.ceil((field.offset * 8 + field.bit + field.bits) / 8)} bytes\`, message: \`${layout.name}.\${field.specName} at byte \${o + field.offset}: data ends after \${limit} of ${layout.size} bytes\` });`,
  );
  out.push('    }');
  out.push('  }');
  out.push('  return { value: inner.value, issues };');
  out.push('}', '');

  // Field constraint checks, shared by decode (absolute offsets) and check (relative offsets).
  out.push(`function checkFields${names.type}(value: ${names.type}, base: number, issues: LayoutIssue[]): LayoutIssue[] {`);
  for (const field of layout.fields) {
    const integerLike = field.type === 'uint' || field.type === 'enum' || field.type === 'flags';
    if (integerLike) {
      const checks = constraintChecks(layout, field, spec.enums, spec.flagsets);
      if (checks.length > 0) {
        out.push('  {');
        out.push(`    const x = value.${field.name};`);
        for (const line of checks) out.push(`    ${line}`);
        out.push('  }');
      }
    } else if (field.type === 'bytes' && field.access === 'RsvdZ') {
      out.push(
        `  if (anyNonZero(value.${field.name})) issues = withIssue(issues, ${issueSource(layout, field, 'reserved-nonzero', '0 (reserved, zero)', `'non-zero bytes'`)});`,
      );
    } else if (field.type === 'array' && field.array?.bits !== undefined && field.access === 'RsvdZ') {
      out.push(
        `  if (value.${field.name}.some((item) => item !== ${field.array.bits <= 32 ? '0' : '0n'})) issues = withIssue(issues, ${issueSource(layout, field, 'reserved-nonzero', '0 (reserved, zero)', `'non-zero elements'`)});`,
      );
    }
  }
  out.push('  return issues;');
  out.push('}', '');

  out.push(docComment(`Checks a {@link ${names.type}} value against every constraint of the layout; offsets in issues are relative to the layout start.`));
  out.push(`export function ${names.check}(value: ${names.type}): LayoutIssue[] {`);
  out.push(`  let issues = checkFields${names.type}(value, 0, noIssues);`);
  out.push('  const base = 0;');
  for (const field of layout.fields) for (const line of widthChecks(layout, field)) out.push(`  ${line}`);
  for (const field of layout.fields) {
    if (field.type === 'layout') {
      out.push(`  issues = nestIssues(${layoutNames(field.layoutName!).check}(value.${field.name}), issues, '${field.specName}', ${field.offset});`);
    }
  }
  out.push('  return issues === noIssues ? [] : issues;');
  out.push('}', '');

  // Encoder.
  out.push(docComment(`Encodes a {@link ${names.type}} into \`t\` at \`o\` (a new buffer of the layout's size when \`t\` is omitted).`));
  out.push(`export function ${names.encode}(value: ${names.type}, t?: Uint8Array, o = 0): Uint8Array {`);
  const sizeExpression = tail ? `Math.max(${layout.size}, ${tail.offset} + value.${tail.name}.length)` : `${layout.size}`;
  out.push(`  if (t === undefined) t = new Uint8Array(${sizeExpression});`);
  for (const field of layout.fields) {
    for (const line of encodeStatements(field, bigEndian)) out.push(`  ${line}`);
  }
  out.push('  return t;');
  out.push('}', '');

  out.push(docComment(`The codec of {@link ${names.type}} behind the uniform {@link LayoutCodec} interface.`));
  out.push(
    `export const ${names.codec}: LayoutCodec<${names.type}> = { meta: ${names.meta}, decode: ${names.decode}, encode: ${names.encode}, check: ${names.check} };`,
    '',
  );
  return out.join('\n');
}

function decodeExpression(field: FieldModel, bigEndian: boolean, layout: LayoutModel): string {
  switch (field.type) {
    case 'bytes':
      // A view, not a copy: decoding is on every hot path and copying byte fields dominated its cost.
      return field.bytes === 'rest' ? `b.subarray(o + ${field.offset}, end)` : `b.subarray(o + ${field.offset}, o + ${field.offset + (field.bytes as number)})`;
    case 'layout':
      return `n_${field.name}.value`;
    case 'array': {
      const array = field.array!;
      if (array.layoutName !== undefined) {
        const nested = layoutNames(array.layoutName);
        const size = field.bits / 8 / array.count;
        return `Array.from({ length: ${array.count} }, (_, i) => ${nested.decode}(b, o + ${field.offset} + i * ${size}).value)`;
      }
      const element: FieldModel = { ...field, type: 'uint', bit: 0, bits: array.bits! };
      const items: string[] = [];
      for (let index = 0; index < array.count; index++) {
        items.push(readField({ ...element, offset: field.offset + (index * array.bits!) / 8 }, bigEndian));
      }
      return `[${items.join(', ')}]`;
    }
    default:
      void layout;
      return readField(field, bigEndian);
  }
}

function encodeStatements(field: FieldModel, bigEndian: boolean): string[] {
  const value = `value.${field.name}`;
  switch (field.type) {
    case 'bytes':
      if (field.bytes === 'rest') return [`t.set(${value}, o + ${field.offset});`];
      return [
        `t.set(${value}.length > ${field.bytes} ? ${value}.subarray(0, ${field.bytes}) : ${value}, o + ${field.offset});`,
        ...(field.bytes !== undefined
          ? [`if (${value}.length < ${field.bytes}) t.fill(0, o + ${field.offset} + ${value}.length, o + ${field.offset + (field.bytes as number)});`]
          : []),
      ];
    case 'layout':
      return [`${layoutNames(field.layoutName!).encode}(${value}, t, o + ${field.offset});`];
    case 'array': {
      const array = field.array!;
      if (array.layoutName !== undefined) {
        const size = field.bits / 8 / array.count;
        return [`for (let i = 0; i < ${array.count}; i++) ${layoutNames(array.layoutName).encode}(${value}[i]!, t, o + ${field.offset} + i * ${size});`];
      }
      const lines: string[] = [];
      for (let index = 0; index < array.count; index++) {
        const element: FieldModel = { ...field, type: 'uint', bit: 0, bits: array.bits!, offset: field.offset + (index * array.bits!) / 8 };
        lines.push(...writeField(element, `(${value}[${index}] ?? ${array.bits! <= 32 ? '0' : '0n'})`, bigEndian));
      }
      return lines;
    }
    default:
      return writeField(field, value, bigEndian);
  }
}

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
  const read = bits === 8 ? `b[o + ${offset}]!` : bits === 16 ? `(b[o + ${offset}]! | (b[o + ${offset + 1}]! << 8))` : `((b[o + ${offset}]! | (b[o + ${offset + 1}]! << 8) | (b[o + ${offset + 2}]! << 16) | (b[o + ${offset + 3}]! << 24)) >>> 0)`;
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

/** The layouts a layout or union refers to (for imports). */
export function referencedLayouts(layout: LayoutModel | UnionModel): string[] {
  if (layout.kind === 'union') return [...new Set([...layout.cases.map((entry) => entry.layoutName), layout.defaultLayout])];
  const names = new Set<string>();
  for (const field of layout.fields) {
    if (field.layoutName !== undefined) names.add(field.layoutName);
    if (field.array?.layoutName !== undefined) names.add(field.array.layoutName);
  }
  return [...names];
}
