import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../../core/spec-problem.ts';
import { enumModel, fieldModel, flagsetModel, layoutModel } from '../../test-support/spec-model-builders.ts';
import type { FieldModel, LayoutModel } from '../model/spec-model.ts';
import type { Definitions } from './definitions.ts';
import { checkFields, checkReferences, isIntegerLike } from './field-checks.ts';

const definitions: Definitions = {
  layouts: new Map(),
  enums: new Map([['kind', enumModel('kind', { ONE: 1n, BIG: 0x1ffn })]]),
  flagsets: new Map([['bits', flagsetModel('bits', { A: 0 })]]),
  constants: new Map(),
};

function problemsOf(layout: LayoutModel): string[] {
  const problems: SpecProblem[] = [];
  checkFields(layout, definitions, problems);
  return problems.map((problem) => `${problem.code} ${problem.message}`);
}

const f = (partial: Partial<FieldModel> & Pick<FieldModel, 'specName' | 'offset' | 'bits'>) => fieldModel(partial);

describe('field checks', () => {
  it('tell integer fields from the others', () => {
    expect(['uint', 'bool', 'enum', 'flags', 'bytes', 'layout', 'array'].map((type) => isIntegerLike(f({ specName: 'x', offset: 0, bits: 8, type: type as FieldModel['type'] })))).toEqual([true, true, true, true, false, false, false]);
  });

  it('refuse references to enums, flag sets and layouts nobody defines', () => {
    const problems: SpecProblem[] = [];
    checkReferences(f({ specName: 'x', offset: 0, bits: 8, type: 'enum', enumName: 'nope', flagsetName: 'none', layoutName: 'gone' }), definitions, problems);
    expect(problems.map((problem) => problem.message)).toEqual(["field x: unknown enum 'nope'", "field x: unknown flag set 'none'", "field x: unknown layout 'gone'"]);
  });

  it('refuse a repeated field name, widths the type cannot hold and fields past the size', () => {
    expect(
      problemsOf(
        layoutModel('w', 10, [
          f({ specName: 'a', offset: 0, bits: 8 }),
          f({ specName: 'a', offset: 1, bits: 0 }),
          f({ specName: 'wide', offset: 2, bit: 4, bits: 64 }),
          f({ specName: 'past', offset: 9, bits: 16 }),
        ]),
      ),
    ).toEqual([
      "XVC1003 layout w: field 'a' is defined twice",
      'XVC1009 field a: an integer field needs a width (bits)',
      'XVC1009 field wide: a 64-bit field starting at bit 4 spans 9 bytes (at most 8)',
      "XVC1006 field wide: ends at byte 11 (bit 84), past the layout's size of 10",
      "XVC1006 field past: ends at byte 11 (bit 88), past the layout's size of 10",
    ]);
  });

  it('refuse byte strings and arrays that start inside a byte, and tails outside a variable layout', () => {
    expect(problemsOf(layoutModel('u', 4, [f({ specName: 'b', offset: 0, bit: 4, bits: 16, type: 'bytes', bytes: 2 }), f({ specName: 't', offset: 3, bits: 0, type: 'bytes', bytes: 'rest' })]))).toEqual([
      'XVC1021 field b: only integer fields may start inside a byte',
      "XVC1006 field t: a 'rest' tail needs a variable layout (minSize, not size)",
    ]);
    expect(problemsOf(layoutModel('v', 2, [f({ specName: 't', offset: 3, bits: 0, type: 'bytes', bytes: 'rest' })], { variable: true }))).toEqual(['XVC1006 field t: the tail starts at byte 3, past minSize 2']);
  });

  it('refuse constraints on fields that are not integers', () => {
    expect(problemsOf(layoutModel('c', 2, [f({ specName: 'b', offset: 0, bits: 16, type: 'bytes', bytes: 2, constraints: { const: 0n } })]))).toEqual(['XVC1019 field b: constraints apply only to integer fields']);
  });

  it('tell a constraint no value of the width meets from constraints no value meets together', () => {
    expect(problemsOf(layoutModel('c', 1, [f({ specName: 'a', offset: 0, bits: 8, constraints: { const: 0x100n } })]))).toEqual(['XVC1020 layout c, field a: const 0x100 does not fit in 8 bits']);
    expect(problemsOf(layoutModel('c', 1, [f({ specName: 'a', offset: 0, bits: 8, constraints: { const: 6n, align: 4 } })]))).toEqual(['XVC1007 layout c, field a: no 8-bit value satisfies const 0x6, align 4 together']);
    expect(problemsOf(layoutModel('c', 1, [f({ specName: 'a', offset: 0, bits: 8, access: 'RsvdZ', constraints: { const: 1n } })]))).toEqual([
      'XVC1007 layout c, field a: no 8-bit value satisfies 0 (reserved, zero), const 0x1 together',
    ]);
  });

  it('refuse enum values wider than the field, and judge nothing more of a field whose enum or flag set is unknown', () => {
    expect(problemsOf(layoutModel('e', 1, [f({ specName: 'k', offset: 0, bits: 8, type: 'enum', enumName: 'kind' })]))).toEqual(['XVC1009 field k: enum value BIG=511 does not fit in 8 bits']);
    expect(problemsOf(layoutModel('e', 1, [f({ specName: 'k', offset: 0, bits: 8, type: 'enum', enumName: 'nope' })]))).toEqual([]);
    expect(problemsOf(layoutModel('e', 1, [f({ specName: 'k', offset: 0, bits: 8, type: 'flags', flagsetName: 'nope', constraints: { const: 1n } })]))).toEqual([]);
  });
});
