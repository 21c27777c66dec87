/** `multipleOf: N` — the field holds a multiple of N (a length counted in dwords, say). */
import { tsLiteral } from '../emit/ts-literal.ts';
import { zeroLiteral, type ConstraintKind } from './constraint-kind.ts';

/** The `multipleOf` constraint kind. */
export const multipleOfKind: ConstraintKind = {
  name: 'multipleOf',
  code: 'multiple-of',
  read(raw, into) {
    if (typeof raw.multipleOf === 'number') into.multipleOf = raw.multipleOf;
  },
  apply(rule) {
    const multiple = rule.constraints.multipleOf;
    if (multiple === undefined) return undefined;
    const step = BigInt(multiple);
    return {
      code: 'multiple-of',
      expected: `multipleOf ${multiple}`,
      holds: (candidate) => candidate % step === 0n,
      brokenWhen: (x, asNumber) => `${x} % ${tsLiteral(step, asNumber)} !== ${zeroLiteral(asNumber)}`,
      metaEntry: () => `multipleOf: ${multiple}`,
      cText: `multiple of ${multiple}`,
      docText: `multiple of ${multiple}`,
      step,
      breakable: true,
    };
  },
};
