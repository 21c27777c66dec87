/**
 * A closed enum — `type: enum` without `open: true`: the field holds one of the enum's values. It
 * follows from the field's type rather than from `constraints:`; an open enum constrains nothing.
 */
import { tsLiteral } from '../emit/ts-literal.ts';
import type { ConstraintKind } from './constraint-kind.ts';

/** The closed-enum kind. */
export const enumKind: ConstraintKind = {
  name: 'enum',
  code: 'enum',
  apply(rule) {
    const values = rule.enumValues;
    if (values === undefined) return undefined;
    return {
      code: 'enum',
      expected: `a ${rule.enumName ?? 'listed'} value`,
      holds: (candidate) => values.includes(candidate),
      // An enum without values admits nothing: the check is then always true.
      brokenWhen: (x, asNumber) => values.map((value) => `${x} !== ${tsLiteral(value, asNumber)}`).join(' && ') || 'false',
      docText: 'a listed value',
      allowed: values,
      landmarks: () => values,
      breakable: true,
    };
  },
};
