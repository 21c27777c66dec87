import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryFromSource } from '../../../test-support/arbitrary-source.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { arbitraryModulePath, arbitraryNames, constantFrom, domainSource, rangeSource } from './sources.ts';

describe('arbitrary sources', () => {
  it('name a layout arbitraries after its type', () => {
    expect(arbitraryNames('virtio_pci_cap64')).toEqual({ valid: 'virtioPciCap64Arbitrary', nearValid: 'virtioPciCap64NearValidArbitrary', type: 'VirtioPciCap64' });
    expect(arbitraryModulePath('pci', 'pci-msix-cap')).toBe('generated/arbitraries/pci/pci-msix-cap.ts');
  });

  it('draw only the listed values, as numbers or bigints', () => {
    expect(constantFrom([7n], true)).toBe('fc.constant(7)');
    const values = fc.sample(arbitraryFromSource<bigint>(constantFrom([1n, 0x10n, 1n << 40n], false)), propertyParameters({ numRuns: 50 }));
    expect(new Set(values)).toEqual(new Set([1n, 0x10n, 1n << 40n]));
  });

  it('draw integers of an inclusive range', () => {
    fc.assert(fc.property(arbitraryFromSource<number>(rangeSource(3n, 12n, true)), (value) => Number.isInteger(value) && value >= 3 && value <= 12), propertyParameters({ numRuns: 200 }));
    fc.assert(fc.property(arbitraryFromSource<bigint>(rangeSource(1n, 1n << 63n, false)), (value) => typeof value === 'bigint' && value >= 1n), propertyParameters({ numRuns: 100 }));
  });

  it('draw the multiples of a step domain minus its exclusions', () => {
    const source = domainSource({ kind: 'steps', low: 1n, high: 100n, step: 8n, exclude: [16n, 24n] }, true);
    fc.assert(
      fc.property(arbitraryFromSource<number>(source), (value) => value % 8 === 0 && value >= 8 && value <= 800 && value !== 16 && value !== 24),
      propertyParameters({ numRuns: 300 }),
    );
    expect(domainSource({ kind: 'list', values: [2n, 3n] }, true)).toBe('fc.constantFrom(2, 3)');
  });
});
