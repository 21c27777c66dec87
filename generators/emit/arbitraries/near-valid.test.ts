import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryFromSource } from '../../../test-support/arbitrary-source.ts';
import { demoCap, demoCaseA, demoInner, demoSpec, demoTailed } from '../../../test-support/demo-spec.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { fieldModel, layoutModel, specModel } from '../../../test-support/spec-model-builders.ts';
import { brokenCodes } from '../../constraints/domain.ts';
import { integerRule } from '../../constraints/registry.ts';
import { breakablePaths, breakSites, layoutHasNearValid } from './near-valid.ts';

const spec = demoSpec();

describe('near-valid sites', () => {
  it('are one per breakable constraint of each field, plus one per nested layout', () => {
    expect(breakSites(demoCap, spec).map((site) => `${site.path.join('.')}:${site.nestedLayout ?? site.code}`)).toEqual([
      'magic:const',
      'len:range',
      'len:align',
      'kind:enum',
      'rsvd:reserved-nonzero',
      'order:power-of-two',
      'span:multiple-of',
      'span:not-equal',
      'addr:range',
      'addr:align',
      'pad:reserved-nonzero',
      'inner:demo_inner',
    ]);
  });

  it('draw values that break exactly the site constraint', () => {
    for (const site of breakSites(demoCap, spec)) {
      if (site.nestedLayout !== undefined || site.path[0] === 'pad') continue;
      const field = demoCap.fields.find((candidate) => candidate.name === site.property)!;
      const rule = integerRule(field, spec);
      fc.assert(
        fc.property(arbitraryFromSource<number | bigint>(site.source), (value) => {
          expect(brokenCodes(BigInt(value), rule)).toEqual([site.code]);
        }),
        propertyParameters({ numRuns: 50 }),
      );
    }
  });

  it('break a reserved tail in one byte only', () => {
    const layout = layoutModel('rt', 2, [fieldModel({ specName: 'n', offset: 0, bits: 16 }), fieldModel({ specName: 'rest', offset: 2, bits: 0, type: 'bytes', bytes: 'rest', access: 'RsvdZ' })], { variable: true });
    const [site] = breakSites(layout, specModel({ layouts: [layout] }));
    fc.assert(fc.property(arbitraryFromSource<Uint8Array>(site!.source), (bytes) => bytes.filter((byte) => byte !== 0).length === 1), propertyParameters({ numRuns: 100 }));
  });

  it('reach into nested layouts when listing what can break', () => {
    expect(breakablePaths(demoCaseA, spec)).toEqual([
      { path: ['hdr', 'sel'], code: 'one-of' },
      { path: ['value'], code: 'range' },
    ]);
    expect(breakablePaths(demoTailed, spec).map((entry) => entry.path.join('.'))).toEqual(['count', 'head.sel']);
  });

  it('give a layout a near-valid arbitrary only when something in it can break', () => {
    expect(layoutHasNearValid('demo_inner', spec)).toBe(true);
    const plain = layoutModel('plain', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })]);
    expect(layoutHasNearValid('plain', specModel({ layouts: [plain] }))).toBe(false);
    expect(layoutHasNearValid('demo_union', spec)).toBe(false);
    expect(layoutHasNearValid('demo_inner', spec, new Set([demoInner.name]))).toBe(false);
  });
});
