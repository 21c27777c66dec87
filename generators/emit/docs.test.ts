import { describe, expect, it } from 'vitest';
import type { EnumModel, FieldModel, FlagsetModel, LayoutFileModel, LayoutModel, SpecModel, UnionModel } from '../model/spec-model.ts';
import { bitDiagram, docsEmitter } from './docs.ts';

const at = { file: 'test.yaml', line: 1, column: 1 };

function field(partial: Partial<FieldModel> & Pick<FieldModel, 'specName' | 'offset' | 'bits'>): FieldModel {
  return {
    name: partial.specName,
    bit: 0,
    type: 'uint',
    open: false,
    access: 'RO',
    constraints: {},
    doc: `${partial.specName} doc`,
    at,
    ...partial,
  };
}

function layout(name: string, group: string, size: number, fields: FieldModel[], extra: Partial<LayoutModel> = {}): LayoutModel {
  return {
    kind: 'layout',
    name,
    typeName: name,
    title: `Title of ${name}`,
    doc: `Doc of ${name}.`,
    ref: 'VS13 §4.1.4',
    spec: 'virtio',
    proposal: false,
    size,
    variable: false,
    endianness: 'little',
    fields,
    group,
    module: name.replace(/_/g, '-'),
    at,
    ...extra,
  };
}

const kinds: EnumModel = {
  name: 'demo_kind',
  typeName: 'DemoKind',
  doc: 'Kinds.',
  values: [
    { name: 'ONE', value: 1n, doc: 'first', since: '1.0' },
    { name: 'NINE', value: 9n, doc: 'a | pipe' },
  ],
  group: 'virtio',
  module: 'demo-reg',
  at,
};
const status: FlagsetModel = {
  name: 'demo_status',
  typeName: 'DemoStatus',
  doc: 'Status bits.',
  flags: [
    { name: 'HIGH', bit: 33, doc: 'high' },
    { name: 'READY', bit: 0, doc: 'ready', since: '1.2' },
  ],
  group: 'virtio',
  module: 'demo-reg',
  at,
};
const inner = layout('demo_inner', 'pci', 2, [field({ specName: 'v', offset: 0, bits: 16 })]);
const reg = layout('demo_reg', 'virtio', 12, [
  field({ specName: 'kind', offset: 0, bits: 8, type: 'enum', enumName: 'demo_kind', constraints: {} }),
  field({ specName: 'enable', offset: 1, bits: 1, type: 'bool' }),
  field({ specName: 'mode', offset: 1, bit: 1, bits: 3, access: 'RW' }),
  field({ specName: 'count', offset: 1, bit: 4, bits: 12, constraints: { range: [1n, 0xfffn], align: 4 }, requirement: 'PCI-DEV-09' }),
  field({ specName: 'rsvd', offset: 3, bits: 8, access: 'RsvdZ', since: '1.2' }),
  field({ specName: 'inner', offset: 4, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
  field({ specName: 'flags', offset: 6, bits: 48, type: 'flags', flagsetName: 'demo_status' }),
]);
const proposal = layout(
  'demo_prop',
  'proposals',
  4,
  [
    field({ specName: 'domid', offset: 0, bits: 16, constraints: { range: [0n, 0x7fefn] } }),
    field({ specName: 'data', offset: 2, bits: 0, type: 'bytes', bytes: 'rest' }),
  ],
  { proposal: true, variable: true, sizeMultipleOf: 2 },
);
const union: UnionModel = {
  kind: 'union',
  name: 'demo_any',
  typeName: 'DemoAny',
  title: 'Any demo',
  doc: 'Picks a demo.',
  ref: 'TEST',
  spec: 'virtio',
  proposal: false,
  discriminator: { field: 'kind', offset: 0, bits: 8, mask: 0x7f },
  cases: [{ values: [1, 9], layoutName: 'demo_reg' }],
  defaultLayout: 'demo_inner',
  group: 'virtio',
  module: 'demo-any',
  at,
};

function fileOf(model: LayoutModel | UnionModel, extra: Partial<LayoutFileModel> = {}): LayoutFileModel {
  return {
    file: `spec/layouts/${model.group}/${model.module}.yaml`,
    group: model.group,
    module: model.module,
    spec: model.spec,
    ref: 'TEST',
    proposal: model.proposal,
    constants: [],
    enums: [],
    flagsets: [],
    layout: model,
    ...extra,
  };
}

const spec: SpecModel = {
  specDir: 'spec',
  versions: new Map(),
  files: [
    fileOf(reg, { enums: [kinds], flagsets: [status] }),
    fileOf(inner),
    fileOf(proposal, { constants: [{ name: 'DOMID_FIRST_RESERVED', value: 0x7ff0n, doc: 'First reserved.', group: 'proposals', module: 'demo-prop', at }] }),
    fileOf(union),
  ],
  layouts: new Map<string, LayoutModel | UnionModel>([
    ['demo_reg', reg],
    ['demo_inner', inner],
    ['demo_prop', proposal],
    ['demo_any', union],
  ]),
  enums: new Map([['demo_kind', kinds]]),
  flagsets: new Map([['demo_status', status]]),
  constants: new Map(),
};

const pages = new Map(docsEmitter.emit(spec).map((file) => [file.path, file.content]));
const regPage = pages.get('generated/docs/virtio/demo-reg.md')!;

describe('docs emitter', () => {
  it('writes a page per spec file and an index', () => {
    expect([...pages.keys()].sort()).toEqual(
      [
        'generated/docs/README.md',
        'generated/docs/pci/demo-inner.md',
        'generated/docs/proposals/demo-prop.md',
        'generated/docs/virtio/demo-any.md',
        'generated/docs/virtio/demo-reg.md',
      ].sort(),
    );
  });

  it('gives title, reference and a register table row per field', () => {
    expect(regPage).toContain('# Title of demo_reg (`demo_reg`)');
    expect(regPage).toContain('- Reference: VS13 §4.1.4 (virtio)');
    expect(regPage).toContain('| Offset | Bits | Width | Field | Type | Access | Since | Constraints | Description |');
    expect(regPage).toContain('| 0x01 | 15:4 | 12 bits | `count` | u12 | RO | — | 0x1..0xfff; aligned to 4; (PCI-DEV-09) | count doc |');
    expect(regPage).toContain('| 0x03 | 7:0 | 8 bits | `rsvd` | u8 | RsvdZ | 1.2 | 0 | rsvd doc |');
    expect(regPage).toContain('| 0x04 | — | 2 B | `inner` | [`demo_inner`](../pci/demo-inner.md) | RO | — | — | inner doc |');
    expect(regPage).toContain('| 0x06 | 47:0 | 48 bits | `flags` | flags `demo_status` | RO |');
    expect(regPage).toContain('| 0x00 | 7:0 | 8 bits | `kind` | enum `demo_kind` | RO | — | a listed value | kind doc |');
  });

  it('draws the bit-field register', () => {
    const diagram = regPage.slice(regPage.indexOf('```text'), regPage.indexOf('```', regPage.indexOf('```text') + 3));
    expect(regPage).toContain('Bytes 0x01–0x02 as one 16-bit little-endian value:');
    expect(regPage).toContain('Labels cut short: `en` enable.');
    expect(diagram.split('\n').slice(1, 5)).toEqual(bitDiagram(16, [
      { name: 'enable', shift: 0, bits: 1 },
      { name: 'mode', shift: 1, bits: 3 },
      { name: 'count', shift: 4, bits: 12 },
    ]));
  });

  it('bit diagrams put the most significant bit left and number every boundary', () => {
    expect(bitDiagram(8, [
      { name: 'low', shift: 0, bits: 2 },
      { name: 'x', shift: 5, bits: 1 },
    ])).toEqual([
      ' 7   6 5  4      2 1   0',
      '+-----+--+--------+-----+',
      '|     |x |        | low |',
      '+-----+--+--------+-----+',
    ]);
  });

  it('lists enum values and flags with masks, escaping pipes', () => {
    expect(regPage).toContain('| `NINE` | 0x9 | — | a \\| pipe |');
    expect(regPage).toContain('| `READY` | 0 | 0x1 | 1.2 | ready |');
    expect(regPage).toContain('| `HIGH` | 33 | 0x200000000 | — | high |');
    expect(regPage.indexOf('`READY`')).toBeLessThan(regPage.indexOf('`HIGH`'));
  });

  it('marks proposals and variable sizes, and lists constants', () => {
    const page = pages.get('generated/docs/proposals/demo-prop.md')!;
    expect(page).toContain('> **Proposal.**');
    expect(page).toContain('- Size: at least 4 bytes, a multiple of 2 (variable)');
    expect(page).toContain('| 0x02 | — | rest | `data` | bytes (to the end) |');
    expect(page).toContain('| `DOMID_FIRST_RESERVED` | 0x7ff0 (32752) |');
    expect(regPage).not.toContain('**Proposal.**');
  });

  it('documents a union by its cases', () => {
    const page = pages.get('generated/docs/virtio/demo-any.md')!;
    expect(page).toContain('The 8-bit value at byte 0x00 (`kind`) masked with 0x7f selects the layout.');
    expect(page).toContain('| 0x1, 0x9 | [`demo_reg`](demo-reg.md) |');
    expect(page).toContain('| any other | [`demo_inner`](../pci/demo-inner.md) |');
  });

  it('indexes every page by group with working relative links', () => {
    const index = pages.get('generated/docs/README.md')!;
    expect(index).toContain('| [`demo_prop`](proposals/demo-prop.md) | Title of demo_prop **(proposal)** | variable layout | ≥ 4 |');
    expect(index).toContain('| [`demo_any`](virtio/demo-any.md) | Any demo | union | — |');
    expect(index.indexOf('## pci')).toBeLessThan(index.indexOf('## proposals'));
  });
});
