/** `powerOfTwo: true | orZero` — the field holds a power of two (a size, a queue length), or also 0. */
import { zeroLiteral, type ConstraintKind } from './constraint-kind.ts';

/** The `powerOfTwo` constraint kind. */
export const powerOfTwoKind: ConstraintKind = {
  name: 'powerOfTwo',
  code: 'power-of-two',
  read(raw, into) {
    if (raw.powerOfTwo === true || raw.powerOfTwo === 'orZero') into.powerOfTwo = raw.powerOfTwo;
  },
  apply(rule) {
    const mode = rule.constraints.powerOfTwo;
    if (mode === undefined) return undefined;
    const orZero = mode === 'orZero';
    const powers: bigint[] = orZero ? [0n] : [];
    for (let exponent = 0; exponent < rule.bits; exponent++) powers.push(1n << BigInt(exponent));
    return {
      code: 'power-of-two',
      expected: orZero ? 'power of two or zero' : 'power of two',
      holds: (candidate) => (candidate > 0n && (candidate & (candidate - 1n)) === 0n) || (orZero && candidate === 0n),
      brokenWhen: (x, asNumber) => {
        // x & (x - 1) clears the lowest set bit: zero exactly for powers of two (and for 0, ruled out first).
        const notPower = asNumber ? `(${x} <= 0 || (${x} & (${x} - 1)) !== 0)` : `(${x} <= 0n || (${x} & (${x} - 1n)) !== 0n)`;
        return orZero ? `${x} !== ${zeroLiteral(asNumber)} && ${notPower}` : notPower;
      },
      metaEntry: () => `powerOfTwo: ${orZero ? "'orZero'" : 'true'}`,
      cText: orZero ? 'power of two or 0' : 'power of two',
      docText: orZero ? 'power of two or 0' : 'power of two',
      allowed: powers,
      breakable: true,
    };
  },
};
