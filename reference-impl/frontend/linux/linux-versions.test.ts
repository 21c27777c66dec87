import { describe, expect, it } from 'vitest';
import { linux2026, linux62, linux65, linux72, linuxVersions } from './linux-versions.ts';

describe('modelled Linux versions', () => {
  it('are the four columns of the decision table, oldest first, each named once', () => {
    expect(linuxVersions.map((version) => [version.name, version.column])).toEqual([
      ['linux-6.2', 'A'],
      ['linux-6.5', 'B'],
      ['linux-2026', 'C'],
      ['linux-7.2', 'D'],
    ]);
  });

  it('gain each fix in order and never lose one', () => {
    const fixes = (version: typeof linux62) => [version.rootBridgeParentCheck, version.initialDomainGuard, version.ofMapIdRespectsCells];
    expect([fixes(linux62), fixes(linux65), fixes(linux2026), fixes(linux72)]).toEqual([
      [false, false, false],
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });
});
