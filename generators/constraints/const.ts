/** `const: V` — the field holds exactly V (a capability ID, a fixed length, a reserved zero). */
import { hexText, maxOf, tsLiteral } from '../emit/ts-literal.ts';
import { yamlInteger, type ConstraintKind } from './constraint-kind.ts';

/** The `const` constraint kind. */
export const constKind: ConstraintKind = {
  name: 'const',
  code: 'const',
  read(raw, into) {
    if (raw.const !== undefined) into.const = yamlInteger(raw.const);
  },
  apply(rule) {
    const value = rule.constraints.const;
    if (value === undefined) return undefined;
    return {
      code: 'const',
      expected: `const ${hexText(value)}`,
      holds: (candidate) => candidate === value,
      brokenWhen: (x, asNumber) => `${x} !== ${tsLiteral(value, asNumber)}`,
      ...(value > maxOf(rule.bits) && { outsideWidth: `const ${hexText(value)} does not fit in ${rule.bits} bits` }),
      metaEntry: (asNumber) => `const: ${tsLiteral(value, asNumber)}`,
      cText: `const ${hexText(value)}`,
      docText: `= ${hexText(value)}`,
      allowed: [value],
      landmarks: () => [value],
      breakable: true,
    };
  },
};
