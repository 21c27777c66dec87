import { describe, expect, it } from 'vitest';
import { specDiagnostics } from './diagnostics.ts';

describe('spec diagnostics', () => {
  it('give every problem its own stable XVC1nnn code and a title', () => {
    const entries = Object.values(specDiagnostics);
    expect(entries.every((entry) => /^XVC1\d{3}$/.test(entry.code) && entry.title.length > 0)).toBe(true);
    expect(new Set(entries.map((entry) => entry.code)).size).toBe(entries.length);
    expect(new Set(entries.map((entry) => entry.title)).size).toBe(entries.length);
  });

  it('keep the codes that tools and fixtures already match on', () => {
    expect(specDiagnostics.yamlSyntax.code).toBe('XVC1001');
    expect(specDiagnostics.schemaViolation.code).toBe('XVC1002');
    expect(specDiagnostics.unknownReference.code).toBe('XVC1004');
    expect(specDiagnostics.unsatisfiableConstraint.code).toBe('XVC1007');
    expect(specDiagnostics.uncoveredBits.code).toBe('XVC1015');
  });

  it('give the problems once reported under another code codes of their own', () => {
    expect([specDiagnostics.notNestable.code, specDiagnostics.recursiveLayout.code, specDiagnostics.constraintOnNonInteger.code, specDiagnostics.constraintOutsideWidth.code, specDiagnostics.unalignedField.code]).toEqual([
      'XVC1017',
      'XVC1018',
      'XVC1019',
      'XVC1020',
      'XVC1021',
    ]);
  });
});
