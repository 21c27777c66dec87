/** `range: [LOW, HIGH]` — the field holds a value in the inclusive interval. */
import { hexText, maxOf, tsLiteral } from '../emit/ts-literal.ts';
import { yamlInteger, type ConstraintKind } from './constraint-kind.ts';

/** Why a range admits no value of a `bits`-wide field, or undefined when it admits one. */
function rangeOutsideWidth(low: bigint, high: bigint, bits: number): string | undefined {
  if (low > high) return `range [${low}, ${high}] is empty`;
  if (low > maxOf(bits)) return `range [${low}, ${high}] starts above ${maxOf(bits)}, the largest ${bits}-bit value`;
  return undefined;
}

/** The `range` constraint kind. */
export const rangeKind: ConstraintKind = {
  name: 'range',
  code: 'range',
  read(raw, into) {
    if (Array.isArray(raw.range)) into.range = [yamlInteger(raw.range[0]), yamlInteger(raw.range[1])];
  },
  apply(rule) {
    const range = rule.constraints.range;
    if (range === undefined) return undefined;
    const [low, high] = range;
    const outsideWidth = rangeOutsideWidth(low, high, rule.bits);
    return {
      code: 'range',
      expected: `range [${low}, ${high}]`,
      holds: (candidate) => candidate >= low && candidate <= high,
      brokenWhen: (x, asNumber) => {
        // A bound the width already enforces needs no test: 0 below, all ones above.
        const conditions: string[] = [];
        if (low > 0n) conditions.push(`${x} < ${tsLiteral(low, asNumber)}`);
        if (high < maxOf(rule.bits)) conditions.push(`${x} > ${tsLiteral(high, asNumber)}`);
        return conditions.length > 0 ? conditions.join(' || ') : undefined;
      },
      ...(outsideWidth !== undefined && { outsideWidth }),
      metaEntry: (asNumber) => `range: [${tsLiteral(low, asNumber)}, ${tsLiteral(high, asNumber)}]`,
      cText: `range ${hexText(low)}..${hexText(high)}`,
      docText: `${hexText(low)}..${hexText(high)}`,
      bounds: range,
      // The bounds themselves, and the multiples of the step just outside them: the values that
      // break the range and nothing else when the field is also aligned.
      landmarks: (step) => [low, high, ((low - 1n) / step) * step, ((high + step) / step) * step],
      breakable: true,
    };
  },
};
