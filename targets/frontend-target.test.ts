import { describe, expect, it } from 'vitest';
import { isSkip } from './frontend-target.ts';

describe('isSkip', () => {
  it('is true for a skip answer only', () => {
    expect(isSkip({ skip: true, reason: 'mechanism not implemented' })).toBe(true);
    for (const value of [[], [{ deviceId: 'net', outcome: 'no-grants' }], { skip: false, reason: 'x' }, { skip: 'true' }, null, undefined, 'skip', { grants: [] }]) {
      expect(isSkip(value), JSON.stringify(value)).toBe(false);
    }
  });
});
