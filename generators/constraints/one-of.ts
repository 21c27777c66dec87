/** `oneOf: [A, B, ...]` — the field holds one of a few listed values that no enum names. */
import { hexText, maxOf, tsLiteral } from '../emit/ts-literal.ts';
import { yamlInteger, type ConstraintKind } from './constraint-kind.ts';

/** The `oneOf` constraint kind. */
export const oneOfKind: ConstraintKind = {
  name: 'oneOf',
  code: 'one-of',
  read(raw, into) {
    if (Array.isArray(raw.oneOf)) into.oneOf = raw.oneOf.map(yamlInteger);
  },
  apply(rule) {
    const values = rule.constraints.oneOf;
    if (values === undefined) return undefined;
    const max = maxOf(rule.bits);
    return {
      code: 'one-of',
      expected: `oneOf [${values.join(', ')}]`,
      holds: (candidate) => values.includes(candidate),
      brokenWhen: (x, asNumber) => values.map((value) => `${x} !== ${tsLiteral(value, asNumber)}`).join(' && '),
      ...(values.every((value) => value > max) && { outsideWidth: `no value of oneOf [${values.join(', ')}] fits in ${rule.bits} bits` }),
      metaEntry: (asNumber) => `oneOf: [${values.map((value) => tsLiteral(value, asNumber)).join(', ')}]`,
      cText: `one of ${values.map(hexText).join(', ')}`,
      docText: `one of ${values.map(hexText).join(', ')}`,
      allowed: values,
      landmarks: () => values,
      breakable: true,
    };
  },
};
