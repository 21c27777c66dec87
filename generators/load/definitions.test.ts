import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../core/spec-problem.ts';
import { enumModel, fieldModel, flagsetModel, layoutModel, testPosition } from '../../test-support/spec-model-builders.ts';
import type { LayoutFileModel } from '../model/spec-model.ts';
import { collectDefinitions } from './definitions.ts';

const versions = new Map([['virtio', ['1.0', '1.2']]]);

function file(module: string, parts: Partial<LayoutFileModel>): LayoutFileModel {
  return { file: `spec/layouts/demo/${module}.yaml`, group: 'demo', module, spec: 'virtio', ref: 'TEST', proposal: false, constants: [], enums: [], flagsets: [], ...parts };
}

function collect(files: LayoutFileModel[]) {
  const problems: SpecProblem[] = [];
  const definitions = collectDefinitions(files, versions, problems);
  return { definitions, problems: problems.map((problem) => `${problem.code} ${problem.message}`) };
}

describe('definitions', () => {
  it('collects constants, enums, flag sets and layouts by spec name', () => {
    const { definitions, problems } = collect([
      file('a', { constants: [{ name: 'LIMIT', value: 3n, doc: 'd', group: 'demo', module: 'a', at: testPosition }], enums: [enumModel('kind', { ONE: 1n })], flagsets: [flagsetModel('bits', { A: 0 })] }),
      file('b', { layout: layoutModel('b_layout', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })]) }),
    ]);
    expect(problems).toEqual([]);
    expect([[...definitions.constants.keys()], [...definitions.enums.keys()], [...definitions.flagsets.keys()], [...definitions.layouts.keys()]]).toEqual([['LIMIT'], ['kind'], ['bits'], ['b_layout']]);
  });

  it('refuses a name two definitions share across files and kinds, and a constant that shadows a generated one', () => {
    const { problems } = collect([
      file('a', { enums: [enumModel('thing', { ONE: 1n })] }),
      file('b', { layout: layoutModel('thing', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })]) }),
      file('c', { constants: [{ name: 'THING_SIZE', value: 1n, doc: 'd', group: 'demo', module: 'c', at: testPosition }] }),
    ]);
    expect(problems).toEqual([
      "XVC1003 layout 'Thing' is already defined at test.yaml:1:1",
      "XVC1003 constant 'THING_SIZE' is already defined at test.yaml:1:1",
    ]);
  });

  it('refuses enum entries and flags that repeat a name or a value', () => {
    const { problems } = collect([file('a', { enums: [enumModel('kind', { ONE: 1n, UNO: 1n })], flagsets: [flagsetModel('bits', { A: 0, B: 0 })] })]);
    expect(problems).toEqual(['XVC1003 enum kind: duplicate name or value at UNO', 'XVC1003 flag set bits: duplicate name or bit at B']);
  });

  it('refuses an unknown spec family and versions the family does not have', () => {
    const layout = layoutModel('v', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8, since: '9.9' })]);
    const { problems } = collect([file('v', { layout }), file('w', { spec: 'nosuch' })]);
    expect(problems).toEqual(["XVC1008 field a since: '9.9' is not a known virtio version (known: 1.0, 1.2)", "XVC1010 spec family 'nosuch' is not listed in spec/versions.yaml"]);
  });
});
