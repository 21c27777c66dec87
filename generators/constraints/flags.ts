/**
 * A flag set — `type: flags`: bits the set does not define are reserved, so a device must not set
 * them. It follows from the field's type rather than from `constraints:`.
 */
import { tsLiteral } from '../emit/ts-literal.ts';
import { zeroLiteral, type ConstraintKind } from './constraint-kind.ts';

/** The flag-set kind. */
export const flagsKind: ConstraintKind = {
  name: 'flags',
  code: 'flags',
  apply(rule) {
    if (rule.flags === undefined || rule.flags.undefinedBits === 0n) return undefined;
    const { name, undefinedBits } = rule.flags;
    return {
      code: 'flags',
      expected: `only ${name} bits`,
      holds: (candidate) => (candidate & undefinedBits) === 0n,
      brokenWhen: (x, asNumber) => `(${x} & ${tsLiteral(undefinedBits, asNumber)}) !== ${zeroLiteral(asNumber)}`,
      // Near-valid arbitraries do not set undefined flag bits: valid flag values are drawn from the
      // defined flags alone, and adding this site would change every seeded near-valid sequence of the
      // layouts with flags (and the default run's replays). Turning it on is this one line.
      breakable: false,
    };
  },
};
