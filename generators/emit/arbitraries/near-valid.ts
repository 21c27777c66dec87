/**
 * Where a value of a layout can break exactly one constraint: one site per breakable constraint of
 * each field (its breaking values chosen by the constraint's kind), plus the nested layouts that have
 * sites of their own.
 */
import type { LayoutIssueCode } from '../../../core/codec-runtime.ts';
import { breakingValues, declaredCodes } from '../../constraints/domain.ts';
import { integerRule } from '../../constraints/registry.ts';
import { reservedArray, reservedBytes, reservedZeroKind } from '../../constraints/reserved-zero.ts';
import type { LayoutModel, SpecModel } from '../../model/spec-model.ts';
import { maxOf } from '../ts-literal.ts';
import { tailLengths } from './field-arbitraries.ts';
import { constantFrom, rangeSource } from './sources.ts';

/** One way to break exactly one constraint of a layout. */
export interface BreakSite {
  /** Spec-name path of the broken field from this layout. */
  path: string[];
  code: LayoutIssueCode;
  /** Property replaced in the record. */
  property: string;
  /** Arbitrary source of the breaking value (leaf sites); empty for nested sites. */
  source: string;
  /** The nested layout whose own near-valid values break it (nested sites). */
  nestedLayout?: string;
}

/** The sites of the fields of `layout` itself; nested layouts are one site each, to be expanded. */
export function breakSites(layout: LayoutModel, spec: SpecModel): BreakSite[] {
  const sites: BreakSite[] = [];
  for (const field of layout.fields) {
    const path = [field.specName];
    if (field.type === 'uint' || field.type === 'enum' || field.type === 'flags') {
      // The checkers hold bool fields to no constraint, so there is nothing to break there.
      const rule = integerRule(field, spec);
      for (const code of declaredCodes(rule)) {
        const values = breakingValues(rule, code);
        if (values.length > 0) sites.push({ path, code, property: field.name, source: constantFrom(values, field.bits <= 32) });
      }
    } else if (field.type === 'bytes' && field.access === 'RsvdZ') {
      const source =
        field.bytes === 'rest'
          ? reservedBytes.breakingTail(`${tailLengths(layout, field)}.chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))`)
          : reservedBytes.breaking(field.bytes as number);
      sites.push({ path, code: reservedZeroKind.code, property: field.name, source });
    } else if (field.type === 'array' && field.array?.bits !== undefined && field.access === 'RsvdZ') {
      const asNumber = field.array.bits <= 32;
      const nonZero = rangeSource(1n, maxOf(field.array.bits), asNumber);
      sites.push({ path, code: reservedZeroKind.code, property: field.name, source: reservedArray.breaking(field.array.count, asNumber, nonZero) });
    } else if (field.type === 'layout' && field.layoutName !== undefined) {
      // Arrays of layouts are left out: the checkers do not descend into their elements.
      sites.push({ path, code: 'const', property: field.name, source: '', nestedLayout: field.layoutName });
    }
  }
  return sites;
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

/** Whether the layout `name` (not a union) has a near-valid arbitrary, looking no deeper than `seen` allows. */
export function layoutHasNearValid(name: string, spec: SpecModel, seen = new Set<string>()): boolean {
  const layout = spec.layouts.get(name);
  if (layout?.kind !== 'layout' || seen.has(name)) return false;
  return breakablePaths(layout, spec, seen).length > 0;
}
