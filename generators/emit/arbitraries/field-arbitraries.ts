/**
 * Sources of the arbitraries of valid values of one field: integers from their exact valid domain,
 * flags from the flags their set defines, byte strings, tails of a valid size, arrays and nested
 * layouts.
 */
import { brokenCodes, validDomain } from '../../constraints/domain.ts';
import { integerRule } from '../../constraints/registry.ts';
import { reservedArray, reservedBytes } from '../../constraints/reserved-zero.ts';
import type { FieldModel, LayoutModel, SpecModel } from '../../model/spec-model.ts';
import { maxOf, tsLiteral } from '../ts-literal.ts';
import { arbitraryNames, constantFrom, domainSource, rangeSource, type ArbitraryContext } from './sources.ts';

function hasConstraints(field: FieldModel): boolean {
  return Object.keys(field.constraints).length > 0 || field.access === 'RsvdZ';
}

/** Source of the valid arbitrary of an integer-like field (uint, enum, flags). */
export function integerValidSource(field: FieldModel, spec: SpecModel): string {
  const asNumber = field.bits <= 32;
  const rule = integerRule(field, spec);
  if (field.type === 'flags' && !hasConstraints(field)) {
    // Only the flags the spec defines: a value a real device would hold.
    const flagset = spec.flagsets.get(field.flagsetName ?? '');
    const masks = (flagset?.flags ?? []).filter((flag) => flag.bit < field.bits).map((flag) => 1n << BigInt(flag.bit));
    if (masks.length === 0) return asNumber ? 'fc.constant(0)' : 'fc.constant(0n)';
    const zero = asNumber ? '0' : '0n';
    return `fc.subarray([${masks.map((mask) => tsLiteral(mask, asNumber)).join(', ')}]).map((set) => set.reduce((all, mask) => all + mask, ${zero}))`;
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

/** Source of the valid arbitrary of a one-bit boolean: the values its constraint kinds allow. */
export function boolValidSource(field: FieldModel, spec: SpecModel): string {
  const domain = validDomain(integerRule(field, spec));
  const allowed = domain.kind === 'list' ? domain.values : [0n, 1n];
  if (allowed.length === 1) return `fc.constant(${allowed[0] === 1n})`;
  return 'fc.boolean()';
}

/**
 * Source of an arbitrary of the lengths of a `rest` tail that give the layout a valid size: at
 * least its minimum, and a multiple of `sizeMultipleOf`.
 */
export function tailLengths(layout: LayoutModel, field: FieldModel): string {
  const multiple = layout.sizeMultipleOf ?? 1;
  const minimumTotal = Math.max(layout.size, field.offset);
  const firstCount = Math.ceil(minimumTotal / multiple);
  return `fc.integer({ min: ${firstCount}, max: ${firstCount + 8} }).map((count) => count * ${multiple} - ${field.offset})`;
}

/** Source of an arbitrary of valid `rest` tails (any bytes, or zeros when reserved). */
export function tailSource(layout: LayoutModel, field: FieldModel): string {
  const lengths = tailLengths(layout, field);
  if (field.access === 'RsvdZ') return reservedBytes.zeroTail(lengths);
  return `${lengths}.chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))`;
}

/** Source of the valid arbitrary of one field. */
export function fieldValidSource(layout: LayoutModel, field: FieldModel, context: ArbitraryContext): string {
  switch (field.type) {
    case 'bool':
      return boolValidSource(field, context.spec);
    case 'bytes':
      if (field.bytes === 'rest') return tailSource(layout, field);
      if (field.access === 'RsvdZ') return reservedBytes.zero(field.bytes as number);
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
      if (field.access === 'RsvdZ') return reservedArray.zero(array.count, asNumber);
      return `fc.array(${rangeSource(0n, maxOf(bits), asNumber)}, ${count})`;
    }
    default:
      return integerValidSource(field, context.spec);
  }
}
