/** Names, paths and the small source builders every generated arbitraries module is written with. */
import type { ValidDomain } from '../../constraints/domain.ts';
import type { SpecModel } from '../../model/spec-model.ts';
import { pascalCase } from '../../model/names.ts';
import { tsLiteral } from '../ts-literal.ts';

/** What emitting one module needs: the spec, and the layouts whose arbitraries the module imports. */
export interface ArbitraryContext {
  spec: SpecModel;
  /** Layout names whose arbitraries the module being emitted uses; emitting adds to it. */
  imports: Set<string>;
}

/** Export names of one layout's arbitraries. */
export function arbitraryNames(layoutName: string): { valid: string; nearValid: string; type: string } {
  const type = pascalCase(layoutName);
  const lower = type.charAt(0).toLowerCase() + type.slice(1);
  return { valid: `${lower}Arbitrary`, nearValid: `${lower}NearValidArbitrary`, type };
}

/** Path of the generated arbitraries module of a spec file. */
export function arbitraryModulePath(group: string, module: string): string {
  return `generated/arbitraries/${group}/${module}.ts`;
}

/** Source of an arbitrary of one of `values`. */
export function constantFrom(values: readonly bigint[], asNumber: boolean): string {
  if (values.length === 1) return `fc.constant(${tsLiteral(values[0]!, asNumber)})`;
  return `fc.constantFrom(${values.map((value) => tsLiteral(value, asNumber)).join(', ')})`;
}

/** Source of an arbitrary of the integers in [low, high]. */
export function rangeSource(low: bigint, high: bigint, asNumber: boolean): string {
  return asNumber
    ? `fc.integer({ min: ${tsLiteral(low, true)}, max: ${tsLiteral(high, true)} })`
    : `fc.bigInt({ min: ${tsLiteral(low, false)}, max: ${tsLiteral(high, false)} })`;
}

/** Source of an arbitrary over a valid domain. */
export function domainSource(domain: ValidDomain, asNumber: boolean): string {
  if (domain.kind === 'list') return constantFrom(domain.values, asNumber);
  let source = rangeSource(domain.low, domain.high, asNumber);
  if (domain.step !== 1n) source += `.map((k) => k * ${tsLiteral(domain.step, asNumber)})`;
  if (domain.exclude.length > 0) {
    source += `.filter((v) => ${domain.exclude.map((value) => `v !== ${tsLiteral(value, asNumber)}`).join(' && ')})`;
  }
  return source;
}
