import { describe, expect, it } from 'vitest';
import {
  categoryCodeBlocks,
  categoryExitCodes,
  describeDiagnosticCode,
  diagnosticForCode,
  diagnosticList,
  diagnostics,
  errorCategories,
  specDiagnostics,
} from './diagnostics.ts';

describe('the error catalogue', () => {
  it('gives every entry its own XVCnnnn code in the block of its category, and its own title', () => {
    for (const entry of diagnosticList) {
      expect(entry.code, entry.name).toMatch(/^XVC\d{4}$/);
      const number = Number(entry.code.slice(3));
      const block = categoryCodeBlocks[entry.category];
      expect(number >= block && number < block + 1000, `${entry.name} ${entry.code} is outside the ${entry.category} block`).toBe(true);
      expect(entry.title.length, entry.name).toBeGreaterThan(3);
    }
    expect(new Set(diagnosticList.map((entry) => entry.code)).size).toBe(diagnosticList.length);
    expect(new Set(diagnosticList.map((entry) => entry.title)).size).toBe(diagnosticList.length);
  });

  it('lists each category in code order', () => {
    const codes = diagnosticList.map((entry) => entry.code);
    expect(codes).toEqual([...codes].sort());
    expect(errorCategories.map((category) => categoryCodeBlocks[category])).toEqual([1000, 2000, 3000, 4000, 5000, 9000]);
  });

  it('fixes the exit code by category: bad spec, usage, input or results files 2, harness and internal errors 3', () => {
    expect(categoryExitCodes).toEqual({ spec: 2, usage: 2, input: 2, target: 3, results: 2, internal: 3 });
  });

  it('keeps a former code pointing at one entry only', () => {
    const formers = diagnosticList.flatMap((entry) => entry.formerly ?? []);
    expect(new Set(formers).size).toBe(formers.length);
    expect(formers.some((former) => /^XVC\d{4}$/.test(former))).toBe(false);
  });

  it('finds an entry by its code or by the code the problem had before', () => {
    expect(diagnosticForCode('XVC4001')?.name).toBe('targetCrashed');
    expect(diagnosticForCode('target-crashed')?.code).toBe('XVC4001');
    expect(diagnosticForCode('XVC_INVALID_SEED')?.name).toBe('invalidSeed');
    expect(diagnosticForCode('no-such-code')).toBeUndefined();
    expect(describeDiagnosticCode('target-timeout')).toBe('XVC4002 targetTimeout');
    expect(describeDiagnosticCode('XVC4003')).toBe('XVC4003 targetProtocol');
    expect(describeDiagnosticCode('something-else')).toBe('something-else');
  });
});

describe('spec diagnostics', () => {
  it('are the spec entries but the aggregate, each with a stable XVC1nnn code', () => {
    const entries = Object.values(specDiagnostics);
    expect(entries.every((entry) => /^XVC1\d{3}$/.test(entry.code) && entry.title.length > 0)).toBe(true);
    expect(entries).toHaveLength(23);
    expect(Object.keys(specDiagnostics)).not.toContain('specInvalid');
    expect(diagnostics.specInvalid.code).toBe('XVC1000');
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
