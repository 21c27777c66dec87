/**
 * Literals as generated TypeScript spells them. One definition, because the codec emitter, the
 * arbitraries emitter and every constraint kind write values into source text and must agree.
 */

/** A literal of a field's value type: `5`, `0x1af4`, or with `n` for fields wider than 32 bits. */
export function tsLiteral(value: bigint, asNumber: boolean): string {
  const text = value >= 10n ? `0x${value.toString(16)}` : value.toString();
  return asNumber ? text : `${text}n`;
}

/** `0x`-prefixed hexadecimal, the way C comments and docs show constraint values. */
export function hexText(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** Largest value of an unsigned field `bits` wide. */
export function maxOf(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}
