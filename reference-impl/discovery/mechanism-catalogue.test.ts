import { describe, expect, it } from 'vitest';
import { isMechanismId, mechanismCatalogue, mechanismEntry } from './mechanism-catalogue.ts';

describe('mechanism catalogue', () => {
  it('lists the mechanisms of spec/mechanisms.yaml with their writers, each id once', () => {
    const catalogue = mechanismCatalogue();
    const ids = catalogue.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['dt-iommus', 'xenstore', 'vendor-data-capability', 'dom0-default']));
    expect(mechanismEntry('vendor-data-capability').writer).toBe('backend');
    expect(mechanismEntry('xenstore').writer).toBe('toolstack');
  });

  it('tells a catalogued id from any other string', () => {
    expect(isMechanismId('dt-iommus')).toBe(true);
    expect(isMechanismId('dt-iommu')).toBe(false);
    expect(isMechanismId('')).toBe(false);
  });
});
