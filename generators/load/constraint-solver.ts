import type { FieldConstraints } from '../model/spec-model.ts';

/** The first constraint `value` breaks, or undefined when it satisfies all of them. */
export function brokenConstraint(
  value: bigint,
  constraints: FieldConstraints,
  bits: number,
  enumValues?: readonly bigint[],
): keyof FieldConstraints | 'width' | 'enum' | undefined {
  if (value < 0n || value > (1n << BigInt(bits)) - 1n) return 'width';
  if (constraints.const !== undefined && value !== constraints.const) return 'const';
  if (constraints.oneOf && !constraints.oneOf.includes(value)) return 'oneOf';
  if (constraints.range && (value < constraints.range[0] || value > constraints.range[1])) return 'range';
  if (constraints.align !== undefined && value % BigInt(constraints.align) !== 0n) return 'align';
  if (constraints.multipleOf !== undefined && value % BigInt(constraints.multipleOf) !== 0n) return 'multipleOf';
  if (constraints.powerOfTwo !== undefined) {
    const isPower = value > 0n && (value & (value - 1n)) === 0n;
    if (!isPower && !(constraints.powerOfTwo === 'orZero' && value === 0n)) return 'powerOfTwo';
  }
  if (constraints.notEqual?.includes(value)) return 'notEqual';
  if (enumValues && !enumValues.includes(value)) return 'enum';
  return undefined;
}

/**
 * Finds one value of a `bits`-wide field that satisfies every constraint, or explains why none
 * exists. Candidates are chosen so the search is exact for the constraint kinds we have: explicit
 * lists (const, oneOf, enum) are tried in full; otherwise powers of two, or the first multiples of
 * the step above the range's minimum (one more than there are excluded values).
 */
export function findSatisfyingValue(
  constraints: FieldConstraints,
  bits: number,
  enumValues?: readonly bigint[],
): { ok: true; value: bigint } | { ok: false; reason: string } {
  const max = (1n << BigInt(bits)) - 1n;
  if (constraints.range && constraints.range[0] > constraints.range[1]) {
    return { ok: false, reason: `range [${constraints.range[0]}, ${constraints.range[1]}] is empty` };
  }
  let candidates: bigint[];
  const explicit = constraints.const !== undefined ? [constraints.const] : (constraints.oneOf ?? enumValues);
  if (explicit) {
    candidates = [...explicit];
  } else if (constraints.powerOfTwo !== undefined) {
    candidates = constraints.powerOfTwo === 'orZero' ? [0n] : [];
    for (let exponent = 0n; exponent < BigInt(bits); exponent++) candidates.push(1n << exponent);
  } else {
    const step = lcm(BigInt(constraints.align ?? 1), BigInt(constraints.multipleOf ?? 1));
    const low = constraints.range ? constraints.range[0] : 0n;
    let first = ((low + step - 1n) / step) * step;
    if (first < 0n) first = 0n;
    candidates = [];
    for (let index = 0; index <= (constraints.notEqual?.length ?? 0); index++) candidates.push(first + BigInt(index) * step);
  }
  for (const candidate of candidates) {
    if (candidate > max) continue;
    if (brokenConstraint(candidate, constraints, bits, enumValues) === undefined) return { ok: true, value: candidate };
  }
  return { ok: false, reason: `no ${bits}-bit value satisfies ${describeConstraints(constraints)}${enumValues ? ' and the enum' : ''}` };
}

/** Renders constraints for messages, e.g. `const 0x9, align 4`. */
export function describeConstraints(constraints: FieldConstraints): string {
  const parts: string[] = [];
  if (constraints.const !== undefined) parts.push(`const 0x${constraints.const.toString(16)}`);
  if (constraints.oneOf) parts.push(`oneOf [${constraints.oneOf.join(', ')}]`);
  if (constraints.range) parts.push(`range [${constraints.range[0]}, ${constraints.range[1]}]`);
  if (constraints.align !== undefined) parts.push(`align ${constraints.align}`);
  if (constraints.multipleOf !== undefined) parts.push(`multipleOf ${constraints.multipleOf}`);
  if (constraints.powerOfTwo !== undefined) parts.push(constraints.powerOfTwo === 'orZero' ? 'power of two or zero' : 'power of two');
  if (constraints.notEqual) parts.push(`notEqual [${constraints.notEqual.join(', ')}]`);
  return parts.join(', ') || 'no constraints';
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
