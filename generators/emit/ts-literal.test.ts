import { describe, expect, it } from 'vitest';
import { hexText, maxOf, tsLiteral } from './ts-literal.ts';

describe('literals', () => {
  it('write small values in decimal and larger ones in hex, with n for bigint fields', () => {
    expect([tsLiteral(0n, true), tsLiteral(9n, true), tsLiteral(10n, true), tsLiteral(0x1af4n, false), tsLiteral(0xffff_ffff_ffff_ffffn, false)]).toEqual([
      '0',
      '9',
      '0xa',
      '0x1af4n',
      '0xffffffffffffffffn',
    ]);
  });

  it('show hex the way comments and docs do, and know the largest value of a width', () => {
    expect([hexText(0n), hexText(255), hexText(0x1_0000_0000n)]).toEqual(['0x0', '0xff', '0x100000000']);
    expect([maxOf(1), maxOf(12), maxOf(64)]).toEqual([1n, 0xfffn, 0xffff_ffff_ffff_ffffn]);
  });
});
