import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from './nearest.ts';

describe('nearest', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds the closest known name, ignoring case, or nothing when none is close', () => {
    const ids = ['PCI-DEV-01', 'PCI-DEV-02', 'XEN-INV-01'];
    expect(nearest('pci-dev-2', ids)).toBe('PCI-DEV-02');
    expect(nearest('XEN-INV-1', ids)).toBe('XEN-INV-01');
    expect(nearest('NOPE-99-ZZZZ', ids)).toBeUndefined();
  });
});
