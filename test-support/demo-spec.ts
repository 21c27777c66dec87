/**
 * A small spec, built in code, that exercises every kind of field the generators handle: bit fields,
 * a 64-bit value, constraints of every kind, a closed enum and a flag set, reserved bytes and arrays,
 * a nested layout, an array of layouts, a big-endian layout, a variable layout with a tail, and a
 * union. Generator tests emit it, load what they emitted and judge the result on bytes they write by
 * hand.
 */
import type { LayoutFileModel, LayoutModel, SpecModel, UnionModel } from '../generators/model/spec-model.ts';
import { enumModel, fieldModel, flagsetModel, layoutModel, specModel, testPosition, unionModel } from './spec-model-builders.ts';

/** The enum `demo_kind`: 1, 2, 5. */
export const demoKind = enumModel('demo_kind', { ONE: 1n, TWO: 2n, FIVE: 5n });
/** The flag set `demo_flags`: bits 0 and 6. */
export const demoFlags = flagsetModel('demo_flags', { A: 0, C: 6 });

/** Two bytes: a 16-bit selector that must be 1, 2, 4 or 0x8000. */
export const demoInner = layoutModel('demo_inner', 2, [fieldModel({ specName: 'sel', offset: 0, bits: 16, constraints: { oneOf: [1n, 2n, 4n, 0x8000n] } })]);

/** 32 bytes with one field of each kind (offsets written out so tests can build bytes by hand). */
export const demoCap = layoutModel('demo_cap', 32, [
  fieldModel({ specName: 'magic', offset: 0, bits: 8, constraints: { const: 9n }, requirement: 'DEMO-01' }),
  fieldModel({ specName: 'len', offset: 1, bits: 8, constraints: { range: [16n, 255n], align: 4 } }),
  fieldModel({ specName: 'kind', offset: 2, bits: 8, type: 'enum', enumName: 'demo_kind' }),
  fieldModel({ specName: 'flags', offset: 3, bits: 8, type: 'flags', flagsetName: 'demo_flags' }),
  fieldModel({ specName: 'rsvd', offset: 4, bits: 4, access: 'RsvdZ' }),
  fieldModel({ specName: 'order', offset: 4, bit: 4, bits: 4, constraints: { powerOfTwo: 'orZero' } }),
  fieldModel({ specName: 'span', offset: 5, bits: 12, constraints: { multipleOf: 3, notEqual: [0n, 3n] } }),
  fieldModel({ specName: 'on', offset: 6, bit: 4, bits: 1, type: 'bool' }),
  fieldModel({ specName: 'open_kind', offset: 6, bit: 5, bits: 3, type: 'enum', enumName: 'demo_kind', open: true }),
  fieldModel({ specName: 'addr', offset: 7, bits: 64, constraints: { range: [0x100000000n, 0xffffffffffffn], align: 8 } }),
  fieldModel({ specName: 'pad', offset: 15, bits: 16, type: 'bytes', bytes: 2, access: 'RsvdZ' }),
  fieldModel({ specName: 'words', offset: 17, bits: 64, type: 'array', array: { count: 4, bits: 16 } }),
  fieldModel({ specName: 'inner', offset: 25, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
  fieldModel({ specName: 'blob', offset: 27, bits: 40, type: 'bytes', bytes: 5 }),
]);

/** Eight bytes, big-endian: a 32-bit word, two 4-bit halves of a byte, a reserved array of three bytes. */
export const demoBig = layoutModel(
  'demo_big',
  8,
  [
    fieldModel({ specName: 'word', offset: 0, bits: 32 }),
    fieldModel({ specName: 'low', offset: 4, bits: 4 }),
    fieldModel({ specName: 'high', offset: 4, bit: 4, bits: 4 }),
    fieldModel({ specName: 'zeros', offset: 5, bits: 24, type: 'array', array: { count: 3, bits: 8 }, access: 'RsvdZ' }),
  ],
  { endianness: 'big' },
);

/** Two inner layouts in a row. */
export const demoPair = layoutModel('demo_pair', 4, [fieldModel({ specName: 'items', offset: 0, bits: 32, type: 'array', array: { count: 2, layoutName: 'demo_inner' } })]);

/** At least six bytes, a multiple of four: a count, a nested inner layout, then a tail. */
export const demoTailed = layoutModel(
  'demo_tailed',
  6,
  [
    fieldModel({ specName: 'count', offset: 0, bits: 16, constraints: { range: [1n, 0xffffn] } }),
    fieldModel({ specName: 'head', offset: 2, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
    fieldModel({ specName: 'tail', offset: 4, bits: 0, type: 'bytes', bytes: 'rest' }),
  ],
  { variable: true, sizeMultipleOf: 4 },
);

/** A case of the union: a nested inner layout (whose low byte the discriminator reads) and a value. */
export const demoCaseA = layoutModel('demo_case_a', 4, [
  fieldModel({ specName: 'hdr', offset: 0, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
  fieldModel({ specName: 'value', offset: 2, bits: 16, constraints: { range: [0n, 100n] } }),
]);

/** The default case of the union. */
export const demoCaseDefault = layoutModel('demo_case_default', 4, [
  fieldModel({ specName: 'sel', offset: 0, bits: 16 }),
  fieldModel({ specName: 'data', offset: 2, bits: 16, access: 'RsvdZ' }),
]);

/** The low byte of the first 16 bits selects: 2 and 4 are case A, anything else the default. */
export const demoUnion = unionModel('demo_union', { offset: 0, bits: 16, mask: 0xff }, [{ values: [2, 4], layoutName: 'demo_case_a' }], 'demo_case_default');

const allLayouts: (LayoutModel | UnionModel)[] = [demoInner, demoCap, demoBig, demoPair, demoTailed, demoCaseA, demoCaseDefault, demoUnion];

/** The file model of one layout (or of the enum and flag set, for `demo-defs`). */
function fileOf(layout: LayoutModel | UnionModel | undefined, module: string): LayoutFileModel {
  return {
    file: `spec/layouts/demo/${module}.yaml`,
    group: 'demo',
    module,
    spec: 'virtio',
    ref: 'TEST',
    proposal: false,
    constants: module === 'demo-defs' ? [{ name: 'DEMO_LIMIT', value: 0x7ff0n, doc: 'A limit.', group: 'demo', module, at: testPosition }] : [],
    enums: module === 'demo-defs' ? [demoKind] : [],
    flagsets: module === 'demo-defs' ? [demoFlags] : [],
    ...(layout && { layout }),
  };
}

/** The demo spec: one file per layout, plus one holding the enum, the flag set and a constant. */
export function demoSpec(): SpecModel {
  // Fresh copies: emitters may not mutate the model, but a test that did must not spoil the others.
  const layouts = structuredClone(allLayouts);
  return specModel({
    layouts,
    enums: [demoKind],
    flagsets: [demoFlags],
    files: [fileOf(undefined, 'demo-defs'), ...layouts.map((layout) => fileOf(layout, layout.module))],
  });
}
