import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../core/spec-problem.ts';
import { fieldModel, layoutModel, unionModel } from '../../test-support/spec-model-builders.ts';
import type { LayoutModel, UnionModel } from '../model/spec-model.ts';
import { checkUnion } from './union-checks.ts';

const two = layoutModel('two', 2, [fieldModel({ specName: 'a', offset: 0, bits: 16 })]);
const one = layoutModel('one', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })]);

function problemsOf(union: UnionModel, layouts: (LayoutModel | UnionModel)[]): string[] {
  const problems: SpecProblem[] = [];
  checkUnion(union, new Map([...layouts, union].map((layout) => [layout.name, layout])), problems);
  return problems.map((problem) => `${problem.code} ${problem.message}`);
}

describe('union checks', () => {
  it('accept cases that each select one fixed layout through a readable discriminator', () => {
    expect(problemsOf(unionModel('u', { offset: 0, bits: 16, mask: 0x103 }, [{ values: [3, 0x103], layoutName: 'two' }], 'two'), [two])).toEqual([]);
  });

  it('refuse unknown layouts, unions as cases, a discriminator past a case, and values that clash or cannot be read', () => {
    const inner = unionModel('inner', { offset: 0, bits: 8 }, [], 'one');
    const union = unionModel('u', { offset: 0, bits: 16, mask: 0xff }, [{ values: [1], layoutName: 'one' }, { values: [1, 0x100], layoutName: 'two' }, { values: [2], layoutName: 'inner' }], 'gone');
    expect(problemsOf(union, [one, two, inner])).toEqual([
      'XVC1013 union u: discriminator ends at byte 2, past the 1-byte layout \'one\'',
      "XVC1013 union u: case 'inner' is itself a union",
      "XVC1004 union u: unknown layout 'gone'",
      "XVC1013 union u: value 1 selects both 'one' and 'two'",
      'XVC1013 union u: value 256 can never be read through the discriminator',
    ]);
  });
});
