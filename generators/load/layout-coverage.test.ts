import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../core/spec-problem.ts';
import { fieldModel, layoutModel } from '../../test-support/spec-model-builders.ts';
import type { FieldModel, LayoutModel } from '../model/spec-model.ts';
import { checkCoverage, fieldBitRange } from './layout-coverage.ts';

function problemsOf(layout: LayoutModel): string[] {
  const problems: SpecProblem[] = [];
  checkCoverage(layout, problems);
  return problems.map((problem) => `${problem.code} ${problem.message}`);
}

const f = (partial: Partial<FieldModel> & Pick<FieldModel, 'specName' | 'offset' | 'bits'>) => fieldModel(partial);

describe('layout coverage', () => {
  it('measures fields in bits from the layout start, a tail to infinity', () => {
    expect(fieldBitRange(f({ specName: 'a', offset: 2, bit: 3, bits: 4 }))).toEqual([19, 23]);
    expect(fieldBitRange(f({ specName: 't', offset: 4, bits: 0, type: 'bytes', bytes: 'rest' }))).toEqual([32, Number.POSITIVE_INFINITY]);
  });

  it('accepts fields that tile the layout, in any written order', () => {
    expect(problemsOf(layoutModel('ok', 2, [f({ specName: 'hi', offset: 1, bits: 8 }), f({ specName: 'lo', offset: 0, bits: 4 }), f({ specName: 'mid', offset: 0, bit: 4, bits: 4 })]))).toEqual([]);
  });

  it('refuses overlaps, a tail that is not last, and bits no field holds', () => {
    expect(problemsOf(layoutModel('o', 2, [f({ specName: 'a', offset: 0, bits: 12 }), f({ specName: 'b', offset: 1, bits: 8 })]))).toEqual(["XVC1005 layout o: field 'b' overlaps 'a' (bits 8 < 12)"]);
    const tailFirst = layoutModel('t', 2, [f({ specName: 'tail', offset: 0, bits: 0, type: 'bytes', bytes: 'rest' }), f({ specName: 'a', offset: 1, bits: 8 })], { variable: true });
    expect(problemsOf(tailFirst)).toEqual(["XVC1005 layout t: field 'a' overlaps 'tail' (bits 8 < Infinity)", "XVC1005 layout t: the 'rest' tail 'tail' must be the last field"]);
    expect(problemsOf(layoutModel('g', 3, [f({ specName: 'a', offset: 1, bits: 8 })]))).toEqual([
      'XVC1015 layout g: bits 0..7 (byte 0) belong to no field; add a reserved field',
      'XVC1015 layout g: bits 16..23 (from byte 2) belong to no field; add a reserved field',
    ]);
  });
});
