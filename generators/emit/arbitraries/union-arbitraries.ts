/**
 * Emits the arbitraries of a union: for each case, values of the case's layout with the fields that
 * hold the discriminator bits set to a value that selects the case (several fields when the
 * discriminator is bits of several, as in grant v2 flags). Near-valid values never break those fields.
 */
import { brokenCodes, validDomain } from '../../constraints/domain.ts';
import { integerRule } from '../../constraints/registry.ts';
import type { FieldModel, LayoutModel, SpecModel, UnionModel } from '../../model/spec-model.ts';
import { maxOf, tsLiteral } from '../ts-literal.ts';
import { breakablePaths } from './near-valid.ts';
import { arbitraryNames, constantFrom, domainSource, type ArbitraryContext } from './sources.ts';

/** One integer field of a case layout that holds discriminator bits. */
export interface DiscriminatorField {
  /** TypeScript property path from the case layout's value. */
  properties: string[];
  specPath: string[];
  field: FieldModel;
  /** Pairs [bit of the discriminator value, bit of the field value]. */
  bits: [number, number][];
}

/**
 * The integer fields (nested layouts included) that hold the masked bits of a union's
 * discriminator. The discriminator may be one field (`cfg_type`) or bits of several (grant v2 flags).
 */
export function discriminatorFields(layout: LayoutModel, union: UnionModel, spec: SpecModel): DiscriminatorField[] | undefined {
  const { offset, bits, mask } = union.discriminator;
  const wanted: number[] = [];
  for (let bit = 0; bit < bits; bit++) if (mask === undefined || (Math.floor(mask / 2 ** bit) & 1) === 1) wanted.push(bit);
  const found: DiscriminatorField[] = [];
  const covered = new Set<number>();
  const visit = (current: LayoutModel, base: number, properties: string[], specPath: string[], depth: number): void => {
    if (depth > 8) return;
    for (const field of current.fields) {
      const start = (base + field.offset) * 8 + field.bit;
      if (field.type === 'layout' && field.layoutName !== undefined) {
        const nested = spec.layouts.get(field.layoutName);
        if (nested?.kind === 'layout') visit(nested, base + field.offset, [...properties, field.name], [...specPath, field.specName], depth + 1);
        continue;
      }
      if (!(field.type === 'uint' || field.type === 'bool' || field.type === 'enum' || field.type === 'flags')) continue;
      const pairs: [number, number][] = [];
      for (const bit of wanted) {
        const absolute = offset * 8 + bit;
        if (absolute >= start && absolute < start + field.bits) pairs.push([bit, absolute - start]);
      }
      if (pairs.length > 0) {
        for (const [bit] of pairs) covered.add(bit);
        found.push({ properties: [...properties, field.name], specPath: [...specPath, field.specName], field, bits: pairs });
      }
    }
  };
  visit(layout, 0, [], [], 0);
  // Bits no integer field holds (bytes, arrays) cannot be set through the value: give up on the case.
  return covered.size === wanted.length ? found : undefined;
}

/** Source of `value` with the property at `properties` replaced by `replacement`. */
function withProperty(value: string, properties: string[], replacement: string): string {
  if (properties.length === 1) return `{ ...${value}, ${properties[0]}: ${replacement} }`;
  const [head, ...rest] = properties;
  return `{ ...${value}, ${head}: ${withProperty(`${value}.${head}`, rest, replacement)} }`;
}

/**
 * Source of an arbitrary of valid values of `field` whose bits `pairs` carry the discriminator
 * value `d`, or undefined when no valid value of the field has those bits.
 */
function fieldWithBits(target: DiscriminatorField, d: number, spec: SpecModel): string | undefined {
  const field = target.field;
  let mask = 0n;
  let required = 0n;
  for (const [bit, fieldBit] of target.bits) {
    mask |= 1n << BigInt(fieldBit);
    if ((Math.floor(d / 2 ** bit) & 1) === 1) required |= 1n << BigInt(fieldBit);
  }
  const rule = integerRule(field, spec);
  const domain = validDomain(rule);
  if (field.type === 'bool') {
    // A one-bit domain is always a list: the bit may take the value only if the constraints allow it.
    const allowed = domain.kind === 'list' ? domain.values : [0n, 1n];
    return allowed.includes(required) ? `fc.constant(${required !== 0n})` : undefined;
  }
  const asNumber = field.bits <= 32;
  if (domain.kind === 'list') {
    const values = domain.values.filter((value) => (value & mask) === required);
    return values.length > 0 ? constantFrom(values, asNumber) : undefined;
  }
  if (mask === maxOf(field.bits)) return brokenCodes(required, rule).length === 0 ? constantFrom([required], asNumber) : undefined;
  // A wide arithmetic domain: force the bits, then keep only values the constraints still accept.
  const forced = asNumber
    ? `.map((v) => ((v & ~${tsLiteral(mask, true)}) | ${tsLiteral(required, true)}) >>> 0)`
    : `.map((v) => (v & ~${tsLiteral(mask, false)}) | ${tsLiteral(required, false)})`;
  return `${domainSource(domain, asNumber)}${forced}`;
}

/** How a union's arbitrary produces one of its layouts: which discriminator values, and how. */
export interface UnionPlan {
  layoutName: string;
  fields: DiscriminatorField[];
  /** Per discriminator value, the record of field overrides (property path joined by '.' → source). */
  branches: { d: number; overrides: { properties: string[]; source: string }[] }[];
  nearValidFeasible: boolean;
}

/** Most discriminator values one case is generated with (the default case can have hundreds). */
const branchLimit = 16;

function spread<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const picked: T[] = [];
  for (let index = 0; index < limit; index++) picked.push(items[Math.round((index * (items.length - 1)) / (limit - 1))]!);
  return [...new Set(picked)];
}

/** How each layout of the union is generated; a case whose discriminator bits no integer field holds is left out. */
export function unionPlans(union: UnionModel, spec: SpecModel): UnionPlan[] {
  const { bits, mask } = union.discriminator;
  const caseValues = new Set(union.cases.flatMap((entry) => entry.values));
  const fullMask = mask ?? 2 ** bits - 1;
  const entries = [
    ...union.cases.map((entry) => ({ layoutName: entry.layoutName, values: entry.values })),
    { layoutName: union.defaultLayout, values: undefined as number[] | undefined },
  ];
  const plans: UnionPlan[] = [];
  for (const entry of entries) {
    const layout = spec.layouts.get(entry.layoutName);
    if (layout?.kind !== 'layout') continue;
    const fields = discriminatorFields(layout, union, spec);
    if (!fields) continue;
    let values = entry.values;
    if (values === undefined) {
      // Every value the mask lets through that no case claims (enumerated over the mask's bits).
      const maskBits: number[] = [];
      for (let bit = 0; bit < bits; bit++) if ((Math.floor(fullMask / 2 ** bit) & 1) === 1) maskBits.push(bit);
      if (maskBits.length > 16) continue;
      values = [];
      for (let combination = 0; combination < 2 ** maskBits.length; combination++) {
        let value = 0;
        maskBits.forEach((bit, index) => {
          if ((combination >> index) & 1) value += 2 ** bit;
        });
        if (!caseValues.has(value)) values.push(value);
      }
    }
    const branches: UnionPlan['branches'] = [];
    for (const d of values) {
      const overrides: { properties: string[]; source: string }[] = [];
      let feasible = true;
      for (const target of fields) {
        const source = fieldWithBits(target, d, spec);
        if (source === undefined) feasible = false;
        else overrides.push({ properties: target.properties, source });
      }
      if (feasible) branches.push({ d, overrides });
    }
    if (branches.length === 0) continue;
    const held = new Set(fields.map((target) => target.specPath.join('.')));
    const nearValidFeasible = breakablePaths(layout, spec).some((site) => !held.has(site.path.join('.')));
    plans.push({ layoutName: entry.layoutName, fields, branches: spread(branches, branchLimit), nearValidFeasible });
  }
  return plans;
}

/** Source of the valid and (when a case has a breakable constraint) near-valid arbitraries of `union`. */
export function emitUnionArbitraries(union: UnionModel, context: ArbitraryContext): string {
  const names = arbitraryNames(union.name);
  const plans = unionPlans(union, context.spec);
  const out: string[] = [];
  if (plans.length === 0) return `// ${union.name}: no case can be generated (the discriminator bits are not held by integer fields).\n`;

  /** Source of one case: a value of the case layout with its discriminator fields overridden. */
  const caseSource = (plan: UnionPlan, near: boolean): string => {
    const names = arbitraryNames(plan.layoutName);
    const held = JSON.stringify(plan.fields.map((target) => target.specPath.join('.')));
    const base = near
      ? `${names.nearValid}().filter((nv) => !${held}.includes(nv.broken.path.join('.')))`
      : `${names.valid}()`;
    const branches = plan.branches.map((branch) => {
      const record = `fc.tuple(${branch.overrides.map((override) => override.source).join(', ')})`;
      const steps = branch.overrides.map((override, index) => `v = ${withProperty('v', override.properties, `o[${index}]`)};`).join(' ');
      const wrapped = near
        ? `{ let v = nv.value; ${steps} return { value: { variant: '${plan.layoutName}' as const, value: v }, broken: nv.broken }; }`
        : `{ let v = value; ${steps} return { variant: '${plan.layoutName}' as const, value: v }; }`;
      return `fc.tuple(${base}, ${record}).map(([${near ? 'nv' : 'value'}, o]) => ${wrapped})`;
    });
    return branches.length === 1 ? branches[0]! : `fc.oneof(\n      ${branches.join(',\n      ')},\n    )`;
  };

  out.push(`/** Values of the union {@link ${names.type}}: a case is chosen and its discriminator bits set to match. */`);
  out.push(`export function ${names.valid}(): fc.Arbitrary<${names.type}> {`);
  out.push(`  const cases: fc.Arbitrary<${names.type}>[] = [`);
  for (const plan of plans) {
    context.imports.add(plan.layoutName);
    out.push(`    ${caseSource(plan, false)},`);
  }
  out.push('  ];');
  out.push('  return fc.oneof(...cases);');
  out.push('}', '');

  const nearPlans = plans.filter((plan) => plan.nearValidFeasible);
  if (nearPlans.length > 0) {
    out.push(`/** Values of {@link ${names.type}} that break exactly one constraint of the chosen case (never its discriminator bits). */`);
    out.push(`export function ${names.nearValid}(): fc.Arbitrary<NearValid<${names.type}>> {`);
    out.push(`  const cases: fc.Arbitrary<NearValid<${names.type}>>[] = [`);
    for (const plan of nearPlans) {
      context.imports.add(plan.layoutName);
      out.push(`    ${caseSource(plan, true)},`);
    }
    out.push('  ];');
    out.push('  return fc.oneof(...cases);');
    out.push('}', '');
  }
  return out.join('\n');
}
