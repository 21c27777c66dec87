import { describe, expect, it } from 'vitest';
import { walkCapabilities } from './capability-walker.ts';
import { walkIssueCodes } from './walk-types.ts';

describe('walk issue codes', () => {
  it('list each code once', () => {
    expect(new Set(walkIssueCodes).size).toBe(walkIssueCodes.length);
  });

  it('include every code the walker reports on a broken space', () => {
    // A status word with the capability list bit and a pointer to 0x40, whose capability points to itself.
    const config = new Uint8Array(256);
    config[0x06] = 0x10;
    config[0x34] = 0x40;
    config[0x40] = 0x09;
    config[0x41] = 0x40;
    config[0x42] = 0x04;
    const codes = walkCapabilities(config).issues.map((issue) => issue.code);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(walkIssueCodes).toContain(code);
  });
});
