/** `align: N` — the field holds a multiple of N, a power of two (an address or an offset). */
import { tsLiteral } from '../emit/ts-literal.ts';
import { zeroLiteral, type ConstraintKind } from './constraint-kind.ts';

/** The `align` constraint kind. */
export const alignKind: ConstraintKind = {
  name: 'align',
  code: 'align',
  read(raw, into) {
    if (typeof raw.align === 'number') into.align = raw.align;
  },
  apply(rule) {
    const align = rule.constraints.align;
    if (align === undefined) return undefined;
    const step = BigInt(align);
    return {
      code: 'align',
      expected: `align ${align}`,
      holds: (candidate) => candidate % step === 0n,
      brokenWhen: (x, asNumber) => `${x} % ${tsLiteral(step, asNumber)} !== ${zeroLiteral(asNumber)}`,
      metaEntry: () => `align: ${align}`,
      cText: `aligned to ${align}`,
      docText: `aligned to ${align}`,
      step,
      breakable: true,
    };
  },
};
