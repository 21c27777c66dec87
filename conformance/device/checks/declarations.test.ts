import { describe, expect, it } from 'vitest';
import { noDeclarations } from './declarations.ts';

describe('noDeclarations', () => {
  it('claims nothing: no spec version, neither grants nor an IOMMU, and says that nothing was declared', () => {
    expect(noDeclarations.specVersions).toEqual([]);
    expect(noDeclarations.grants).toBe(false);
    expect(noDeclarations.iommu).toBe(false);
    expect(noDeclarations.source).toMatch(/no declaration/);
  });
});
