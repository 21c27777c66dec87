/** The field metadata the codec emitter writes: read by code that must not type offsets by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayoutMeta } from '../../../core/codec-runtime.ts';
import { demoSpec } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { fieldModel } from '../../../test-support/spec-model-builders.ts';
import { typescriptEmitter } from '../typescript.ts';
import { constraintsLiteral } from './layout-meta.ts';

let tree: EmittedTree;
let capMeta: LayoutMeta;
let tailedMeta: LayoutMeta;

beforeAll(async () => {
  tree = writeEmitted(typescriptEmitter.emit(demoSpec()));
  capMeta = (await tree.load<{ demoCapLayout: LayoutMeta }>('generated/ts/demo/demo-cap.ts')).demoCapLayout;
  tailedMeta = (await tree.load<{ demoTailedLayout: LayoutMeta }>('generated/ts/demo/demo-tailed.ts')).demoTailedLayout;
});

afterAll(() => tree.remove());

describe('emitted layout metadata', () => {
  it('describes the layout as the spec does', () => {
    expect({ ...capMeta, fields: undefined }).toEqual({ name: 'demo_cap', title: 'demo_cap title', size: 32, variable: false, spec: 'virtio', ref: 'TEST §1', proposal: false, fields: undefined });
    expect([tailedMeta.variable, tailedMeta.sizeMultipleOf, tailedMeta.size]).toEqual([true, 4, 6]);
  });

  it('gives every field its position, width, type, reference, requirement and constraints in the field type', () => {
    const byName = new Map(capMeta.fields.map((field) => [field.specName, field]));
    expect(byName.get('magic')).toEqual({ specName: 'magic', name: 'magic', offset: 0, bit: 0, bits: 8, type: 'uint', access: 'RO', requirement: 'DEMO-01', constraints: { const: 9 }, doc: 'magic doc' });
    expect(byName.get('order')).toMatchObject({ offset: 4, bit: 4, bits: 4, constraints: { powerOfTwo: 'orZero' } });
    expect(byName.get('addr')!.constraints).toEqual({ range: [0x1_0000_0000n, 0xffff_ffff_ffffn], align: 8 });
    expect(byName.get('kind')!.ref).toBe('demo_kind');
    expect(byName.get('inner')!.ref).toBe('demo_inner');
    expect(byName.get('words')!.count).toBe(4);
    expect(byName.get('rsvd')).toMatchObject({ access: 'RsvdZ' });
    expect(byName.get('rsvd')!.constraints).toBeUndefined();
  });
});

describe('constraints literal', () => {
  it('is absent for a field without written constraints, whatever its type implies', () => {
    expect(constraintsLiteral(fieldModel({ specName: 'k', offset: 0, bits: 8, type: 'enum', enumName: 'demo_kind' }), demoSpec())).toBeUndefined();
  });

  it('writes each constraint in the order of the kinds', () => {
    expect(constraintsLiteral(fieldModel({ specName: 'v', offset: 0, bits: 16, constraints: { notEqual: [1n], range: [0n, 9n] } }), demoSpec())).toBe('{ range: [0, 9], notEqual: [1] }');
  });
});
