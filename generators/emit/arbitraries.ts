/**
 * Emits fast-check arbitraries per layout (generated/arbitraries/<group>/<module>.ts) and a registry.
 *
 * Valid arbitraries produce values that satisfy every constraint of every field; near-valid ones break
 * exactly one constraint of one field and say which. The domains are worked out here, at generation
 * time, with an exact evaluator, so the emitted code is a plain list of `fc.constantFrom` /
 * `fc.integer` calls and needs no filtering that could starve fast-check.
 */
import type { LayoutIssueCode } from '../../core/codec-runtime.ts';
import type {
  Emitter,
  EnumModel,
  FieldModel,
  FlagsetModel,
  GeneratedFile,
  LayoutModel,
  SpecModel,
  UnionModel,
} from '../model/spec-model.ts';

/** Everything that decides which values of one integer-like field are valid. */
export interface IntegerRule {
  bits: number;
  constraints: FieldModel['constraints'];
  /** Allowed values of a closed enum (undefined for open enums and other types). */
  enumValues?: readonly bigint[];
  /** RsvdZ access: the value must be 0. */
  reservedZero: boolean;
}

/** Every constraint code `value` breaks under `rule`, in the order a checker reports them. */
export function brokenCodes(value: bigint, rule: IntegerRule): LayoutIssueCode[] {
  const broken: LayoutIssueCode[] = [];
  const c = rule.constraints;
  if (rule.reservedZero && value !== 0n) broken.push('reserved-nonzero');
  if (c.const !== undefined && value !== c.const) broken.push('const');
  if (c.oneOf && !c.oneOf.includes(value)) broken.push('one-of');
  if (c.range && (value < c.range[0] || value > c.range[1])) broken.push('range');
  if (c.align !== undefined && value % BigInt(c.align) !== 0n) broken.push('align');
  if (c.multipleOf !== undefined && value % BigInt(c.multipleOf) !== 0n) broken.push('multiple-of');
  if (c.powerOfTwo !== undefined) {
    const power = value > 0n && (value & (value - 1n)) === 0n;
    if (!power && !(c.powerOfTwo === 'orZero' && value === 0n)) broken.push('power-of-two');
  }
  if (c.notEqual?.includes(value)) broken.push('not-equal');
  if (rule.enumValues && !rule.enumValues.includes(value)) broken.push('enum');
  return broken;
}

/** Which constraint codes a rule declares (candidates for a near-valid value). */
export function declaredCodes(rule: IntegerRule): LayoutIssueCode[] {
  const c = rule.constraints;
  const codes: LayoutIssueCode[] = [];
  if (rule.reservedZero) codes.push('reserved-nonzero');
  if (c.const !== undefined) codes.push('const');
  if (c.oneOf) codes.push('one-of');
  if (c.range) codes.push('range');
  if (c.align !== undefined) codes.push('align');
  if (c.multipleOf !== undefined) codes.push('multiple-of');
  if (c.powerOfTwo !== undefined) codes.push('power-of-two');
  if (c.notEqual) codes.push('not-equal');
  if (rule.enumValues) codes.push('enum');
  return codes;
}

const maxOf = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

/** The valid values of a field, as something an arbitrary can be built from. */
export type ValidDomain =
  | { kind: 'list'; values: bigint[] }
  /** `k * step` for k in [low, high], minus `exclude`. */
  | { kind: 'steps'; low: bigint; high: bigint; step: bigint; exclude: bigint[] };

/** Largest arithmetic domain spelled out as a list; bigger ones stay `k * step` with a filter. */
const listLimit = 16n;

/** Computes the exact valid domain of an integer field. */
export function validDomain(rule: IntegerRule): ValidDomain {
  const c = rule.constraints;
  const max = maxOf(rule.bits);
  const valid = (value: bigint): boolean => value >= 0n && value <= max && brokenCodes(value, rule).length === 0;
  let explicit: readonly bigint[] | undefined;
  if (rule.reservedZero) explicit = [0n];
  else if (c.const !== undefined) explicit = [c.const];
  else if (c.oneOf) explicit = c.oneOf;
  else if (rule.enumValues) explicit = rule.enumValues;
  else if (c.powerOfTwo !== undefined) {
    const powers = c.powerOfTwo === 'orZero' ? [0n] : [];
    for (let exponent = 0; exponent < rule.bits; exponent++) powers.push(1n << BigInt(exponent));
    explicit = powers;
  }
  if (explicit) return { kind: 'list', values: [...new Set(explicit)].filter(valid).sort(compare) };
  const alignStep = BigInt(c.align ?? 1);
  const multipleStep = BigInt(c.multipleOf ?? 1);
  const step = (alignStep / gcd(alignStep, multipleStep)) * multipleStep;
  const lowValue = c.range ? c.range[0] : 0n;
  const highValue = c.range ? (c.range[1] < max ? c.range[1] : max) : max;
  const low = (lowValue + step - 1n) / step;
  const high = highValue / step;
  const exclude = (c.notEqual ?? []).filter((value) => value % step === 0n && value >= lowValue && value <= highValue);
  // A list when the domain is small, or when the filter would throw most candidates away.
  if (high - low < listLimit || BigInt(exclude.length) * 2n > high - low + 1n) {
    const values: bigint[] = [];
    for (let k = low; k <= high; k++) if (valid(k * step)) values.push(k * step);
    return { kind: 'list', values };
  }
  return { kind: 'steps', low, high, step, exclude };
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How many breaking values a near-valid arbitrary picks from, at most. */
const breakingLimit = 16;

/**
 * Values of the field's width that break `code` and no other constraint of the field. Empty when
 * the constraint cannot be broken within the width (e.g. `range [0, 255]` on 8 bits).
 */
export function breakingValues(rule: IntegerRule, code: LayoutIssueCode): bigint[] {
  const c = rule.constraints;
  const max = maxOf(rule.bits);
  const alignStep = BigInt(c.align ?? 1);
  const multipleStep = BigInt(c.multipleOf ?? 1);
  const step = (alignStep / gcd(alignStep, multipleStep)) * multipleStep;
  const bases = new Set<bigint>([0n, 1n, 2n, 3n, max, max - 1n, 1n << BigInt(rule.bits - 1)]);
  for (const value of [c.const, ...(c.oneOf ?? []), ...(c.notEqual ?? []), ...(rule.enumValues ?? []), ...(c.range ?? [])]) {
    if (value !== undefined) bases.add(value);
  }
  if (c.range) {
    bases.add(((c.range[0] - 1n) / step) * step);
    bases.add(((c.range[1] + step) / step) * step);
  }
  for (let exponent = 0; exponent < rule.bits; exponent++) bases.add(1n << BigInt(exponent));
  const candidates = new Set<bigint>();
  for (const base of bases) {
    for (const delta of [0n, 1n, 2n, step, step + 1n, 2n * step, alignStep, multipleStep]) {
      candidates.add(base + delta);
      candidates.add(base - delta);
    }
  }
  const found: bigint[] = [];
  for (const candidate of [...candidates].sort(compare)) {
    if (candidate < 0n || candidate > max) continue;
    const broken = brokenCodes(candidate, rule);
    if (broken.length === 1 && broken[0] === code) found.push(candidate);
  }
  if (found.length <= breakingLimit) return found;
  // Keep the extremes and an even spread in between, so both ends of the space are exercised.
  const picked: bigint[] = [];
  for (let index = 0; index < breakingLimit; index++) {
    picked.push(found[Math.round((index * (found.length - 1)) / (breakingLimit - 1))]!);
  }
  return [...new Set(picked)];
}

/** The rule of an integer-like field (uint, enum, flags). */
export function integerRule(field: FieldModel, enums: ReadonlyMap<string, EnumModel>): IntegerRule {
  const closedEnum = field.type === 'enum' && !field.open && field.enumName !== undefined;
  return {
    bits: field.bits,
    constraints: field.constraints,
    ...(closedEnum && { enumValues: enums.get(field.enumName!)?.values.map((value) => value.value) ?? [] }),
    reservedZero: field.access === 'RsvdZ',
  };
}

// ---------------------------------------------------------------------------------------------
// Names and paths.

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __: string, letter: string) => letter.toUpperCase());
}

/** Export names of one layout's arbitraries. */
export function arbitraryNames(layoutName: string): { valid: string; nearValid: string; type: string } {
  const type = pascal(layoutName);
  return { valid: `${lowerFirst(type)}Arbitrary`, nearValid: `${lowerFirst(type)}NearValidArbitrary`, type };
}

/** Path of the generated arbitraries module of a spec file. */
export function arbitraryModulePath(group: string, module: string): string {
  return `generated/arbitraries/${group}/${module}.ts`;
}

function importPath(fromGroup: string, toGroup: string, toModule: string, root: 'arbitraries' | 'ts'): string {
  if (root === 'ts') return `../../ts/${toGroup}/${toModule}.ts`;
  return fromGroup === toGroup ? `./${toModule}.ts` : `../${toGroup}/${toModule}.ts`;
}

// ---------------------------------------------------------------------------------------------
// Source builders.

function literal(value: bigint, asNumber: boolean): string {
  const text = value >= 10n ? `0x${value.toString(16)}` : value.toString();
  return asNumber ? text : `${text}n`;
}

function constantFrom(values: readonly bigint[], asNumber: boolean): string {
  if (values.length === 1) return `fc.constant(${literal(values[0]!, asNumber)})`;
  return `fc.constantFrom(${values.map((value) => literal(value, asNumber)).join(', ')})`;
}

function rangeSource(low: bigint, high: bigint, asNumber: boolean): string {
  return asNumber
    ? `fc.integer({ min: ${literal(low, true)}, max: ${literal(high, true)} })`
    : `fc.bigInt({ min: ${literal(low, false)}, max: ${literal(high, false)} })`;
}

/** Source of an arbitrary over a valid domain. */
export function domainSource(domain: ValidDomain, asNumber: boolean): string {
  if (domain.kind === 'list') return constantFrom(domain.values, asNumber);
  let source = rangeSource(domain.low, domain.high, asNumber);
  if (domain.step !== 1n) source += `.map((k) => k * ${literal(domain.step, asNumber)})`;
  if (domain.exclude.length > 0) {
    source += `.filter((v) => ${domain.exclude.map((value) => `v !== ${literal(value, asNumber)}`).join(' && ')})`;
  }
  return source;
}

interface Context {
  spec: SpecModel;
  /** Layout names whose arbitraries the module being emitted imports. */
  imports: Set<string>;
}

function flagsetMasks(flagset: FlagsetModel | undefined, bits: number): bigint[] {
  return (flagset?.flags ?? []).filter((flag) => flag.bit < bits).map((flag) => 1n << BigInt(flag.bit));
}

function hasConstraints(field: FieldModel): boolean {
  return Object.keys(field.constraints).length > 0 || field.access === 'RsvdZ';
}

function integerValidSource(field: FieldModel, spec: SpecModel): string {
  const asNumber = field.bits <= 32;
  const rule = integerRule(field, spec.enums);
  if (field.type === 'flags' && !hasConstraints(field)) {
    // Only the flags the spec defines: a value a real device would hold.
    const masks = flagsetMasks(spec.flagsets.get(field.flagsetName ?? ''), field.bits);
    if (masks.length === 0) return asNumber ? 'fc.constant(0)' : 'fc.constant(0n)';
    const zero = asNumber ? '0' : '0n';
    return `fc.subarray([${masks.map((mask) => literal(mask, asNumber)).join(', ')}]).map((set) => set.reduce((all, mask) => all + mask, ${zero}))`;
  }
  const domain = validDomain(rule);
  const source = domainSource(domain, asNumber);
  if (field.type === 'enum' && field.open && domain.kind === 'steps' && field.enumName !== undefined) {
    // Open enum: any value is valid, but the named ones deserve most of the attention.
    const named = (spec.enums.get(field.enumName)?.values ?? [])
      .map((value) => value.value)
      .filter((value) => brokenCodes(value, rule).length === 0 && value <= maxOf(field.bits));
    if (named.length > 0) return `fc.oneof(${constantFrom(named, asNumber)}, ${source})`;
  }
  return source;
}

function zeroBytes(length: number): string {
  return `fc.constant(0).map(() => new Uint8Array(${length}))`;
}

function tailSource(layout: LayoutModel, field: FieldModel): string {
  // Total size = field.offset + tail length; it must reach minSize and be a multiple of sizeMultipleOf.
  const multiple = layout.sizeMultipleOf ?? 1;
  const minimumTotal = Math.max(layout.size, field.offset);
  const firstCount = Math.ceil(minimumTotal / multiple);
  const lengths = `fc.integer({ min: ${firstCount}, max: ${firstCount + 8} }).map((count) => count * ${multiple} - ${field.offset})`;
  if (field.access === 'RsvdZ') return `${lengths}.map((length) => new Uint8Array(length))`;
  return `${lengths}.chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))`;
}

/** Source of the valid arbitrary of one field. */
function fieldValidSource(layout: LayoutModel, field: FieldModel, context: Context): string {
  switch (field.type) {
    case 'bool': {
      if (field.access === 'RsvdZ' || field.constraints.const === 0n) return 'fc.constant(false)';
      if (field.constraints.const === 1n) return 'fc.constant(true)';
      return 'fc.boolean()';
    }
    case 'bytes':
      if (field.bytes === 'rest') return tailSource(layout, field);
      if (field.access === 'RsvdZ') return zeroBytes(field.bytes as number);
      return `fc.uint8Array({ minLength: ${field.bytes}, maxLength: ${field.bytes} })`;
    case 'layout':
      context.imports.add(field.layoutName!);
      return `${arbitraryNames(field.layoutName!).valid}()`;
    case 'array': {
      const array = field.array!;
      const count = `{ minLength: ${array.count}, maxLength: ${array.count} }`;
      if (array.layoutName !== undefined) {
        context.imports.add(array.layoutName);
        return `fc.array(${arbitraryNames(array.layoutName).valid}(), ${count})`;
      }
      const bits = array.bits!;
      const asNumber = bits <= 32;
      if (field.access === 'RsvdZ') return `fc.constant(0).map(() => new Array<${asNumber ? 'number' : 'bigint'}>(${array.count}).fill(${asNumber ? '0' : '0n'}))`;
      return `fc.array(${rangeSource(0n, maxOf(bits), asNumber)}, ${count})`;
    }
    default:
      return integerValidSource(field, context.spec);
  }
}

/** One way to break exactly one constraint of a layout. */
interface BreakSite {
  /** Spec-name path of the broken field from this layout. */
  path: string[];
  code: LayoutIssueCode;
  /** Property replaced in the record. */
  property: string;
  /** Arbitrary source of the breaking value (leaf sites), or the nested layout (nested sites). */
  source: string;
  nestedLayout?: string;
}

/**
 * Every leaf constraint of `layout` (recursing into nested layouts) that a value can break on its
 * own, as paths. Used to decide whether a layout has a near-valid arbitrary at all and to keep the
 * discriminator of a union out of its near-valid values.
 */
export function breakablePaths(layout: LayoutModel, spec: SpecModel, seen = new Set<string>()): { path: string[]; code: LayoutIssueCode }[] {
  const found: { path: string[]; code: LayoutIssueCode }[] = [];
  for (const site of breakSites(layout, spec)) {
    if (site.nestedLayout === undefined) found.push({ path: site.path, code: site.code });
    else if (!seen.has(site.nestedLayout)) {
      const nested = spec.layouts.get(site.nestedLayout);
      if (nested?.kind === 'layout') {
        for (const inner of breakablePaths(nested, spec, new Set([...seen, layout.name]))) {
          found.push({ path: [...site.path, ...inner.path], code: inner.code });
        }
      }
    }
  }
  return found;
}

function breakSites(layout: LayoutModel, spec: SpecModel): BreakSite[] {
  const sites: BreakSite[] = [];
  for (const field of layout.fields) {
    const path = [field.specName];
    if (field.type === 'uint' || field.type === 'enum' || field.type === 'flags') {
      // The checkers hold bool fields to no constraint, so there is nothing to break there.
      const rule = integerRule(field, spec.enums);
      for (const code of declaredCodes(rule)) {
        const values = breakingValues(rule, code);
        if (values.length > 0) sites.push({ path, code, property: field.name, source: constantFrom(values, field.bits <= 32) });
      }
    } else if (field.type === 'bytes' && field.access === 'RsvdZ') {
      if (field.bytes === 'rest') {
        const tail = tailSource({ ...layout }, { ...field, access: 'RO' });
        sites.push({
          path,
          code: 'reserved-nonzero',
          property: field.name,
          source: `${tail}.filter((t) => t.length > 0).chain((t) => fc.tuple(fc.integer({ min: 0, max: t.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, byte]) => { const bytes = new Uint8Array(t.length); bytes[at] = byte; return bytes; }))`,
        });
      } else {
        const length = field.bytes as number;
        sites.push({
          path,
          code: 'reserved-nonzero',
          property: field.name,
          source: `fc.tuple(fc.integer({ min: 0, max: ${length - 1} }), fc.integer({ min: 1, max: 255 })).map(([at, byte]) => { const bytes = new Uint8Array(${length}); bytes[at] = byte; return bytes; })`,
        });
      }
    } else if (field.type === 'array' && field.array?.bits !== undefined && field.access === 'RsvdZ') {
      const asNumber = field.array.bits <= 32;
      const count = field.array.count;
      sites.push({
        path,
        code: 'reserved-nonzero',
        property: field.name,
        source: `fc.tuple(fc.integer({ min: 0, max: ${count - 1} }), ${rangeSource(1n, maxOf(field.array.bits), asNumber)}).map(([at, item]) => { const items = new Array<${asNumber ? 'number' : 'bigint'}>(${count}).fill(${asNumber ? '0' : '0n'}); items[at] = item; return items; })`,
      });
    } else if (field.type === 'layout' && field.layoutName !== undefined) {
      // Arrays of layouts are left out: the checkers do not descend into their elements.
      sites.push({ path, code: 'const', property: field.name, source: '', nestedLayout: field.layoutName });
    }
  }
  return sites;
}

function emitLayoutArbitraries(layout: LayoutModel, context: Context): string {
  const names = arbitraryNames(layout.name);
  const fieldsName = `${lowerFirst(names.type)}FieldArbitraries`;
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
    (site) => site.nestedLayout === undefined || hasNearValid(site.nestedLayout, context.spec, new Set([layout.name])),
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

/** Whether a layout gets a near-valid arbitrary (it has at least one breakable constraint). */
export function hasNearValid(name: string, spec: SpecModel, seen = new Set<string>()): boolean {
  const layout = spec.layouts.get(name);
  if (!layout || seen.has(name)) return false;
  if (layout.kind === 'union') {
    return unionPlans(layout, spec).some((plan) => plan.nearValidFeasible);
  }
  return breakablePaths(layout, spec, seen).length > 0;
}

/** One integer field of a case layout that holds discriminator bits. */
interface DiscriminatorField {
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
  if (field.type === 'bool') {
    const value = required !== 0n;
    if (value && (field.access === 'RsvdZ' || field.constraints.const === 0n)) return undefined;
    if (!value && field.constraints.const === 1n) return undefined;
    return `fc.constant(${value})`;
  }
  const asNumber = field.bits <= 32;
  const rule = integerRule(field, spec.enums);
  const domain = validDomain(rule);
  if (domain.kind === 'list') {
    const values = domain.values.filter((value) => (value & mask) === required);
    return values.length > 0 ? constantFrom(values, asNumber) : undefined;
  }
  if (mask === maxOf(field.bits)) return brokenCodes(required, rule).length === 0 ? constantFrom([required], asNumber) : undefined;
  // A wide arithmetic domain: force the bits, then keep only values the constraints still accept.
  const forced = asNumber
    ? `.map((v) => ((v & ~${literal(mask, true)}) | ${literal(required, true)}) >>> 0)`
    : `.map((v) => (v & ~${literal(mask, false)}) | ${literal(required, false)})`;
  return `${domainSource(domain, asNumber)}${forced}`;
}

/** How a union's arbitrary produces one of its layouts: which discriminator values, and how. */
interface UnionPlan {
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

function unionPlans(union: UnionModel, spec: SpecModel): UnionPlan[] {
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

function emitUnionArbitraries(union: UnionModel, context: Context): string {
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

const header = (source: string): string =>
  `// Generated by xvc (npm run generate) from ${source}. Do not edit: change the spec and regenerate.\n`;

function emitModule(spec: SpecModel, layout: LayoutModel | UnionModel): GeneratedFile {
  const context: Context = { spec, imports: new Set() };
  const body = layout.kind === 'layout' ? emitLayoutArbitraries(layout, context) : emitUnionArbitraries(layout, context);
  const lines: string[] = [header(`spec/layouts/${layout.group}/${layout.module}.yaml`)];
  lines.push(`/** fast-check arbitraries for ${layout.title} (${layout.name}). */`);
  lines.push("import fc from 'fast-check';");
  if (body.includes('NearValid<')) lines.push("import type { NearValid } from '../../../core/codec-runtime.ts';");
  lines.push(`import type { ${arbitraryNames(layout.name).type} } from '${importPath(layout.group, layout.group, layout.module, 'ts')}';`);
  const byModule = new Map<string, Set<string>>();
  for (const name of [...context.imports].sort()) {
    if (name === layout.name) continue;
    const target = spec.layouts.get(name);
    if (!target) continue;
    const from = importPath(layout.group, target.group, target.module, 'arbitraries');
    const wanted = byModule.get(from) ?? new Set<string>();
    const names = arbitraryNames(name);
    if (body.includes(`${names.valid}(`)) wanted.add(names.valid);
    if (body.includes(`${names.nearValid}(`)) wanted.add(names.nearValid);
    byModule.set(from, wanted);
  }
  for (const [from, wanted] of [...byModule].sort()) {
    if (wanted.size > 0) lines.push(`import { ${[...wanted].sort().join(', ')} } from '${from}';`);
  }
  lines.push('', body);
  return { path: arbitraryModulePath(layout.group, layout.module), content: `${lines.join('\n').trimEnd()}\n` };
}

function emitRegistry(spec: SpecModel, layouts: (LayoutModel | UnionModel)[]): GeneratedFile {
  const lines: string[] = [header('spec/layouts')];
  lines.push('/** Every generated arbitrary, with the checker of the same layout, for generic property tests and fuzzing. */');
  lines.push("import type fc from 'fast-check';");
  lines.push("import type { LayoutIssue, NearValid } from '../../core/codec-runtime.ts';");
  for (const layout of layouts) {
    const names = arbitraryNames(layout.name);
    const imported = [names.valid, ...(hasNearValid(layout.name, spec) ? [names.nearValid] : [])];
    lines.push(`import { ${imported.join(', ')} } from './${layout.group}/${layout.module}.ts';`);
    lines.push(`import { check${names.type} } from '../ts/${layout.group}/${layout.module}.ts';`);
  }
  lines.push('');
  lines.push('/** One layout or union: its valid arbitrary, its near-valid one when it has a breakable constraint, and its checker. */');
  lines.push('export interface ArbitraryEntry {');
  lines.push('  readonly name: string;');
  lines.push("  readonly kind: 'layout' | 'union';");
  lines.push('  readonly valid: () => fc.Arbitrary<unknown>;');
  lines.push('  readonly nearValid?: () => fc.Arbitrary<NearValid<unknown>>;');
  lines.push('  readonly check: (value: never) => LayoutIssue[];');
  lines.push('}', '');
  lines.push('/** Every layout and union of spec/layouts, sorted by name. */');
  lines.push('export const arbitraryRegistry: readonly ArbitraryEntry[] = [');
  for (const layout of layouts) {
    const names = arbitraryNames(layout.name);
    const near = hasNearValid(layout.name, spec) ? ` nearValid: ${names.nearValid},` : '';
    lines.push(`  { name: '${layout.name}', kind: '${layout.kind}', valid: ${names.valid},${near} check: check${names.type} },`);
  }
  lines.push('];');
  return { path: 'generated/arbitraries/registry.ts', content: `${lines.join('\n')}\n` };
}

/** Emits generated/arbitraries: one module per spec layout file, plus registry.ts. */
export const arbitrariesEmitter: Emitter = {
  name: 'arbitraries',
  emit(spec: SpecModel): GeneratedFile[] {
    const layouts = [...spec.layouts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = layouts.map((layout) => emitModule(spec, layout));
    files.push(emitRegistry(spec, layouts));
    return files;
  },
};
