/** `notEqual: [A, ...]` — the field never holds one of these values (a reserved ID, say). */
import { hexText, tsLiteral } from '../emit/ts-literal.ts';
import { yamlInteger, type ConstraintKind } from './constraint-kind.ts';

/** The `notEqual` constraint kind. */
export const notEqualKind: ConstraintKind = {
  name: 'notEqual',
  code: 'not-equal',
  read(raw, into) {
    if (Array.isArray(raw.notEqual)) into.notEqual = raw.notEqual.map(yamlInteger);
  },
  apply(rule) {
    const values = rule.constraints.notEqual;
    if (values === undefined) return undefined;
    return {
      code: 'not-equal',
      expected: `notEqual [${values.join(', ')}]`,
      holds: (candidate) => !values.includes(candidate),
      brokenWhen: (x, asNumber) => values.map((value) => `${x} === ${tsLiteral(value, asNumber)}`).join(' || '),
      metaEntry: (asNumber) => `notEqual: [${values.map((value) => tsLiteral(value, asNumber)).join(', ')}]`,
      cText: `not ${values.map(hexText).join(', ')}`,
      docText: `≠ ${values.map((value) => hexText(value)).join(', ')}`,
      excluded: values,
      landmarks: () => values,
      breakable: true,
    };
  },
};
