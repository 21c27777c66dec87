import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import type { EnumModel, FieldModel, FlagsetModel, LayoutModel, SpecModel, UnionModel } from '../model/spec-model.ts';
import type { NearValid } from '../../core/codec-runtime.ts';
import { arbitrariesEmitter } from './arbitraries.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const at = { file: 'test.yaml', line: 1, column: 1 };

function field(partial: Partial<FieldModel> & Pick<FieldModel, 'specName' | 'offset' | 'bits'>): FieldModel {
  return {
    name: partial.specName.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
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

function layout(name: string, size: number, fields: FieldModel[], extra: Partial<LayoutModel> = {}): LayoutModel {
  return {
    kind: 'layout',
    name,
    typeName: name.replace(/(^|_)([a-z0-9])/g, (_, __: string, letter: string) => letter.toUpperCase()),
    title: `${name} title`,
    doc: `${name} doc`,
    ref: 'TEST §1',
    spec: 'virtio',
    proposal: false,
    size,
    variable: false,
    endianness: 'little',
    fields,
    group: 'demo',
    module: name.replace(/_/g, '-'),
    at,
    ...extra,
  };
}

const kindEnum: EnumModel = {
  name: 'demo_kind',
  typeName: 'DemoKind',
  doc: 'kinds',
  values: [
    { name: 'ONE', value: 1n, doc: 'one' },
    { name: 'TWO', value: 2n, doc: 'two' },
    { name: 'FIVE', value: 5n, doc: 'five' },
  ],
  group: 'demo',
  module: 'demo-cap',
  at,
};
const demoFlags: FlagsetModel = {
  name: 'demo_flags',
  typeName: 'DemoFlags',
  doc: 'flags',
  flags: [
    { name: 'A', bit: 0, doc: 'a' },
    { name: 'C', bit: 6, doc: 'c' },
  ],
  group: 'demo',
  module: 'demo-cap',
  at,
};

const inner = layout('demo_inner', 2, [field({ specName: 'sel', offset: 0, bits: 16, constraints: { oneOf: [1n, 2n, 4n, 0x8000n] } })]);
const cap = layout('demo_cap', 32, [
  field({ specName: 'magic', offset: 0, bits: 8, constraints: { const: 9n } }),
  field({ specName: 'len', offset: 1, bits: 8, constraints: { range: [16n, 255n], align: 4 } }),
  field({ specName: 'kind', offset: 2, bits: 8, type: 'enum', enumName: 'demo_kind' }),
  field({ specName: 'flags', offset: 3, bits: 8, type: 'flags', flagsetName: 'demo_flags' }),
  field({ specName: 'rsvd', offset: 4, bits: 4, access: 'RsvdZ' }),
  field({ specName: 'order', offset: 4, bit: 4, bits: 4, constraints: { powerOfTwo: 'orZero' } }),
  field({ specName: 'span', offset: 5, bits: 12, constraints: { multipleOf: 3, notEqual: [0n, 3n] } }),
  field({ specName: 'on', offset: 6, bit: 4, bits: 1, type: 'bool' }),
  field({ specName: 'open_kind', offset: 6, bit: 5, bits: 3, type: 'enum', enumName: 'demo_kind', open: true }),
  field({ specName: 'addr', offset: 7, bits: 64, constraints: { range: [0x100000000n, 0xffffffffffffn], align: 8 } }),
  field({ specName: 'pad', offset: 15, bits: 16, type: 'bytes', bytes: 2, access: 'RsvdZ' }),
  field({ specName: 'words', offset: 17, bits: 64, type: 'array', array: { count: 4, bits: 16 } }),
  field({ specName: 'inner', offset: 25, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
  field({ specName: 'blob', offset: 27, bits: 40, type: 'bytes', bytes: 5 }),
]);
const tailed = layout(
  'demo_tailed',
  6,
  [
    field({ specName: 'count', offset: 0, bits: 16, constraints: { range: [1n, 0xffffn] } }),
    field({ specName: 'head', offset: 2, bits: 32, type: 'layout', layoutName: 'demo_inner' }),
    field({ specName: 'tail', offset: 4, bits: 0, type: 'bytes', bytes: 'rest' }),
  ],
  { variable: true, sizeMultipleOf: 4 },
);
// `head` above is 2 bytes; fix the nested width the way the loader would.
tailed.fields[1]!.bits = 16;
const caseA = layout('demo_case_a', 4, [
  field({ specName: 'hdr', offset: 0, bits: 16, type: 'layout', layoutName: 'demo_inner' }),
  field({ specName: 'value', offset: 2, bits: 16, constraints: { range: [0n, 100n] } }),
]);
const caseDefault = layout('demo_case_default', 4, [
  field({ specName: 'sel', offset: 0, bits: 16 }),
  field({ specName: 'data', offset: 2, bits: 16, access: 'RsvdZ' }),
]);
const union: UnionModel = {
  kind: 'union',
  name: 'demo_union',
  typeName: 'DemoUnion',
  title: 'demo union',
  doc: 'doc',
  ref: 'TEST',
  spec: 'virtio',
  proposal: false,
  discriminator: { offset: 0, bits: 16, mask: 0xff },
  cases: [{ values: [2, 4], layoutName: 'demo_case_a' }],
  defaultLayout: 'demo_case_default',
  group: 'demo',
  module: 'demo-union',
  at,
};

const spec: SpecModel = {
  specDir: 'spec',
  versions: new Map(),
  files: [],
  layouts: new Map<string, LayoutModel | UnionModel>([
    ['demo_inner', inner],
    ['demo_cap', cap],
    ['demo_tailed', tailed],
    ['demo_case_a', caseA],
    ['demo_case_default', caseDefault],
    ['demo_union', union],
  ]),
  enums: new Map([['demo_kind', kindEnum]]),
  flagsets: new Map([['demo_flags', demoFlags]]),
  constants: new Map(),
};

// ---------------------------------------------------------------------------------------------
// An evaluator written for this test only, straight from the spec model's meaning.

type Broken = { path: string[]; code: string };

function fieldProblems(model: FieldModel, value: unknown, path: string[]): Broken[] {
  const problems: Broken[] = [];
  const here = [...path, model.specName];
  if (model.type === 'layout') {
    const nested = spec.layouts.get(model.layoutName!) as LayoutModel;
    return layoutProblems(nested, value as Record<string, unknown>, here);
  }
  if (model.type === 'bytes') {
    const bytes = value as Uint8Array;
    if (!(bytes instanceof Uint8Array)) return [{ path: here, code: 'type' }];
    if (typeof model.bytes === 'number' && bytes.length !== model.bytes) problems.push({ path: here, code: 'length' });
    if (model.access === 'RsvdZ' && bytes.some((byte) => byte !== 0)) problems.push({ path: here, code: 'reserved-nonzero' });
    return problems;
  }
  if (model.type === 'array') {
    const items = value as unknown[];
    if (items.length !== model.array!.count) problems.push({ path: here, code: 'length' });
    for (const item of items) {
      const ok = model.array!.bits! <= 32 ? typeof item === 'number' : typeof item === 'bigint';
      if (!ok || BigInt(item as number) < 0n || BigInt(item as number) >= 1n << BigInt(model.array!.bits!)) problems.push({ path: here, code: 'width' });
    }
    return problems;
  }
  if (model.type === 'bool') return typeof value === 'boolean' ? [] : [{ path: here, code: 'type' }];
  const expectedType = model.bits <= 32 ? 'number' : 'bigint';
  if (typeof value !== expectedType) return [{ path: here, code: 'type' }];
  const v = BigInt(value as number);
  if (v < 0n || v >= 1n << BigInt(model.bits)) return [{ path: here, code: 'width' }];
  const c = model.constraints;
  const add = (code: string): void => void problems.push({ path: here, code });
  if (model.access === 'RsvdZ' && v !== 0n) add('reserved-nonzero');
  if (c.const !== undefined && v !== c.const) add('const');
  if (c.oneOf !== undefined && !c.oneOf.some((allowed) => allowed === v)) add('one-of');
  if (c.range !== undefined && !(v >= c.range[0] && v <= c.range[1])) add('range');
  if (c.align !== undefined && v % BigInt(c.align) !== 0n) add('align');
  if (c.multipleOf !== undefined && v % BigInt(c.multipleOf) !== 0n) add('multiple-of');
  if (c.powerOfTwo !== undefined) {
    let ones = 0;
    for (let bit = 0; bit < model.bits; bit++) if ((v >> BigInt(bit)) & 1n) ones++;
    if (!(ones === 1 || (c.powerOfTwo === 'orZero' && v === 0n))) add('power-of-two');
  }
  if (c.notEqual !== undefined && c.notEqual.some((banned) => banned === v)) add('not-equal');
  if (model.type === 'enum' && !model.open) {
    const values = spec.enums.get(model.enumName!)!.values.map((entry) => entry.value);
    if (!values.some((allowed) => allowed === v)) add('enum');
  }
  return problems;
}

function layoutProblems(model: LayoutModel, value: Record<string, unknown>, path: string[] = []): Broken[] {
  const problems: Broken[] = [];
  const keys = Object.keys(value).sort();
  const expectedKeys = model.fields.map((entry) => entry.name).sort();
  if (JSON.stringify(keys) !== JSON.stringify(expectedKeys)) problems.push({ path, code: `keys ${keys.join(',')}` });
  for (const entry of model.fields) problems.push(...fieldProblems(entry, value[entry.name], path));
  if (model.variable) {
    const tail = model.fields.find((entry) => entry.bytes === 'rest')!;
    const total = tail.offset + (value[tail.name] as Uint8Array).length;
    if (total < model.size) problems.push({ path, code: 'min-size' });
    if (model.sizeMultipleOf !== undefined && total % model.sizeMultipleOf !== 0) problems.push({ path, code: 'size-multiple' });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

let workDir = '';
let modules: Record<string, Record<string, () => fc.Arbitrary<unknown>>> = {};

beforeAll(async () => {
  // The emitted modules import 'fast-check'; a node_modules link lets them resolve it from a temp dir.
  workDir = mkdtempSync(join(tmpdir(), 'xvc-arbitraries-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  for (const file of arbitrariesEmitter.emit(spec)) {
    const target = join(workDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (process.env.XVC_DUMP_EMITTED) process.stdout.write(`=== ${file.path}\n${file.content}`);
  }
  for (const name of ['demo-inner', 'demo-cap', 'demo-tailed', 'demo-union']) {
    modules[name] = (await import(pathToFileURL(join(workDir, 'generated/arbitraries/demo', `${name}.ts`)).href)) as Record<
      string,
      () => fc.Arbitrary<unknown>
    >;
  }
});

afterAll(() => {
  if (workDir !== '' && existsSync(workDir)) rmSync(workDir, { recursive: true, force: true });
});

describe('arbitraries emitter: valid values', () => {
  it.each([
    ['demo-cap', 'demoCapArbitrary', cap],
    ['demo-inner', 'demoInnerArbitrary', inner],
    ['demo-tailed', 'demoTailedArbitrary', tailed],
  ] as const)('%s values satisfy every constraint', (module, exported, model) => {
    const arbitrary = modules[module]![exported]!();
    fc.assert(
      fc.property(arbitrary, (value) => {
        expect(layoutProblems(model, value as Record<string, unknown>)).toEqual([]);
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('valid values reach both ends of a wide domain and every named flag', () => {
    const values = fc.sample(modules['demo-cap']!.demoCapArbitrary!(), { numRuns: 400, seed: 7 }) as Record<string, unknown>[];
    const lens = new Set(values.map((value) => value.len));
    expect(lens.has(16)).toBe(true);
    expect([...lens].every((len) => (len as number) % 4 === 0)).toBe(true);
    const flags = new Set(values.map((value) => value.flags));
    expect([...flags].sort((a, b) => (a as number) - (b as number))).toEqual([0, 1, 64, 65]);
  });

  it('variable layouts get tails of several valid sizes', () => {
    const values = fc.sample(modules['demo-tailed']!.demoTailedArbitrary!(), { numRuns: 200, seed: 3 }) as { tail: Uint8Array }[];
    const sizes = new Set(values.map((value) => 4 + value.tail.length));
    expect(sizes.size).toBeGreaterThan(3);
    expect([...sizes].every((size) => size >= 6 && size % 4 === 0)).toBe(true);
  });

  it('the union sets the discriminator of the chosen case and uses the default for other values', () => {
    const values = fc.sample(modules['demo-union']!.demoUnionArbitrary!(), { numRuns: 300, seed: 11 }) as {
      variant: string;
      value: Record<string, unknown>;
    }[];
    const variants = new Set(values.map((value) => value.variant));
    expect(variants).toEqual(new Set(['demo_case_a', 'demo_case_default']));
    for (const value of values) {
      if (value.variant === 'demo_case_a') {
        expect(layoutProblems(caseA, value.value)).toEqual([]);
        expect([2, 4]).toContain((value.value.hdr as { sel: number }).sel & 0xff);
      } else {
        expect(layoutProblems(caseDefault, value.value)).toEqual([]);
        expect([2, 4]).not.toContain((value.value.sel as number) & 0xff);
      }
    }
  });
});

describe('arbitraries emitter: near-valid values', () => {
  it.each([
    ['demo-cap', 'demoCapNearValidArbitrary', cap],
    ['demo-inner', 'demoInnerNearValidArbitrary', inner],
    ['demo-tailed', 'demoTailedNearValidArbitrary', tailed],
  ] as const)('%s values break exactly the constraint they name', (module, exported, model) => {
    fc.assert(
      fc.property(modules[module]![exported]!() as fc.Arbitrary<NearValid<Record<string, unknown>>>, (near) => {
        expect(layoutProblems(model, near.value)).toEqual([{ path: near.broken.path, code: near.broken.constraint }]);
      }),
      propertyParameters({ numRuns: 400 }),
    );
  });

  it('every breakable constraint of demo_cap is reached, and no unbreakable one is claimed', () => {
    const seen = new Set(
      (fc.sample(modules['demo-cap']!.demoCapNearValidArbitrary!(), { numRuns: 3000, seed: 5 }) as NearValid<unknown>[]).map(
        (near) => `${near.broken.path.join('.')}:${near.broken.constraint}`,
      ),
    );
    expect([...seen].sort()).toEqual(
      [
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
        'inner.sel:one-of',
      ].sort(),
    );
  });

  it('union near-valid values keep the discriminator and break one field of the case', () => {
    fc.assert(
      fc.property(
        modules['demo-union']!.demoUnionNearValidArbitrary!() as fc.Arbitrary<NearValid<{ variant: string; value: Record<string, unknown> }>>,
        (near) => {
          const model = near.value.variant === 'demo_case_a' ? caseA : caseDefault;
          expect(layoutProblems(model, near.value.value)).toEqual([{ path: near.broken.path, code: near.broken.constraint }]);
          expect(near.broken.path).not.toEqual(['hdr', 'sel']);
        },
      ),
      propertyParameters({ numRuns: 300 }),
    );
  });
});

describe('registry', () => {
  it('lists every layout and union with its checker', () => {
    const registry = arbitrariesEmitter.emit(spec).find((file) => file.path === 'generated/arbitraries/registry.ts')!;
    for (const name of ['DemoCap', 'DemoInner', 'DemoTailed', 'DemoCaseA', 'DemoCaseDefault', 'DemoUnion']) {
      expect(registry.content).toContain(`check: check${name} }`);
    }
    expect(registry.content).toContain("import { checkDemoCap } from '../ts/demo/demo-cap.ts';");
  });
});

describe('generated registry over the real spec (generated/arbitraries/registry.ts)', () => {
  it('valid values pass the generated checker; near-valid ones fail it with exactly the named constraint', async () => {
    const { arbitraryRegistry } = await import('../../generated/arbitraries/registry.ts');
    expect(arbitraryRegistry.length).toBeGreaterThan(10);
    for (const entry of arbitraryRegistry) {
      fc.assert(
        fc.property(entry.valid(), (value) => {
          expect({ name: entry.name, issues: entry.check(value as never) }).toEqual({ name: entry.name, issues: [] });
        }),
        propertyParameters({ numRuns: 60 }),
      );
      if (!entry.nearValid) continue;
      fc.assert(
        fc.property(entry.nearValid(), (near) => {
          const issues = entry.check(near.value as never).map((issue) => ({ path: issue.path, code: issue.code }));
          expect({ name: entry.name, issues }).toEqual({ name: entry.name, issues: [{ path: near.broken.path, code: near.broken.constraint }] });
        }),
        propertyParameters({ numRuns: 60 }),
      );
    }
  });
});
