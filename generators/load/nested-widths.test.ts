import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../core/spec-problem.ts';
import { fieldModel, layoutModel, unionModel } from '../../test-support/spec-model-builders.ts';
import type { LayoutModel, UnionModel } from '../model/spec-model.ts';
import { nestedWidthResolver } from './nested-widths.ts';

function resolver(all: (LayoutModel | UnionModel)[]) {
  const problems: SpecProblem[] = [];
  const resolve = nestedWidthResolver(new Map(all.map((layout) => [layout.name, layout])), problems);
  return { resolve, problems };
}

describe('nested widths', () => {
  it('set the width of a nested layout, an array of layouts and an array of integers, resolving deeper layouts first', () => {
    const leaf = layoutModel('leaf', 2, [fieldModel({ specName: 'a', offset: 0, bits: 16 })]);
    const middle = layoutModel('middle', 4, [fieldModel({ specName: 'l', offset: 0, bits: 0, type: 'array', array: { count: 2, layoutName: 'leaf' } })]);
    const { resolve, problems } = resolver([leaf, middle]);
    const nested = fieldModel({ specName: 'm', offset: 0, bits: 0, type: 'layout', layoutName: 'middle' });
    const words = fieldModel({ specName: 'w', offset: 4, bits: 0, type: 'array', array: { count: 3, bits: 16 } });
    resolve(nested);
    resolve(words);
    expect([nested.bits, middle.fields[0]!.bits, words.bits]).toEqual([32, 32, 48]);
    expect(problems).toEqual([]);
  });

  it('refuse to nest a union or a variable layout, and a layout that contains itself', () => {
    const union = unionModel('u', { offset: 0, bits: 8 }, [], 'leaf');
    const variable = layoutModel('var', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })], { variable: true });
    const loop = layoutModel('loop', 2, [fieldModel({ specName: 'self', offset: 0, bits: 0, type: 'layout', layoutName: 'loop' })]);
    const { resolve, problems } = resolver([union, variable, loop]);
    for (const name of ['u', 'var', 'loop', 'missing']) resolve(fieldModel({ specName: name, offset: 0, bits: 0, type: 'layout', layoutName: name }));
    expect(problems.map((problem) => `${problem.code} ${problem.message}`)).toEqual([
      "XVC1017 'u' is a union; only fixed layouts can be nested",
      "XVC1017 'var' has a variable size and cannot be nested",
      "XVC1018 layout 'loop' contains itself",
    ]);
  });
});
