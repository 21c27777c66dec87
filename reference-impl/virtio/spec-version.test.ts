import { describe, expect, it } from 'vitest';
import { compareVersions } from './spec-version.ts';

describe('compareVersions', () => {
  it('orders versions numerically part by part', () => {
    expect(compareVersions('1.0', '1.2')).toBeLessThan(0);
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('1.3', '1.3')).toBe(0);
    expect(compareVersions('1', '1.0')).toBe(0);
  });
});
