import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandGate } from '../../test-support/machine-tools.ts';
import type { EnumModel, FieldModel, FlagsetModel, LayoutFileModel, LayoutModel, SpecModel, UnionModel } from '../model/spec-model.ts';
import fc from 'fast-check';
import { loadSpec } from '../load/spec.ts';
import { cHeadersEmitter, layoutMembers } from './c-headers.ts';

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

function layout(name: string, group: string, size: number, fields: FieldModel[], extra: Partial<LayoutModel> = {}): LayoutModel {
  return {
    kind: 'layout',
    name,
    typeName: name,
    title: `${name} title`,
    doc: `${name} doc with a */ inside`,
    ref: 'TEST §1',
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

const modeEnum: EnumModel = {
  name: 'demo_mode',
  typeName: 'DemoMode',
  doc: 'modes',
  values: [
    { name: 'OFF', value: 0n, doc: 'off' },
    { name: 'ON', value: 5n, doc: 'on', since: '1.2' },
  ],
  group: 'demo',
  module: 'demo-reg',
  at,
};
const statusFlags: FlagsetModel = {
  name: 'demo_status',
  typeName: 'DemoStatus',
  doc: 'status',
  flags: [
    { name: 'READY', bit: 0, doc: 'ready' },
    { name: 'HIGH', bit: 40, doc: 'a bit above 32' },
  ],
  group: 'demo',
  module: 'demo-reg',
  at,
};

const inner = layout('demo_inner', 'other', 4, [field({ specName: 'value', offset: 0, bits: 32 })]);
const reg = layout('demo_reg', 'demo', 40, [
  field({ specName: 'id', offset: 0, bits: 16, constraints: { const: 0x1af4n } }),
  field({ specName: 'enable', offset: 2, bits: 1, type: 'bool' }),
  field({ specName: 'mode', offset: 2, bit: 1, bits: 3, type: 'enum', enumName: 'demo_mode' }),
  field({ specName: 'count', offset: 2, bit: 4, bits: 12, constraints: { range: [1n, 4000n] } }),
  field({ specName: 'addr', offset: 4, bits: 64, constraints: { align: 8 }, since: '1.2' }),
  field({ specName: 'status', offset: 12, bits: 64, type: 'flags', flagsetName: 'demo_status' }),
  field({ specName: 'default', offset: 20, bits: 16, type: 'bytes', bytes: 2, access: 'RsvdZ' }),
  field({ specName: 'inner', offset: 22, bits: 32, type: 'layout', layoutName: 'demo_inner' }),
  field({ specName: 'words', offset: 26, bits: 64, type: 'array', array: { count: 4, bits: 16 } }),
  field({ specName: 'lo', offset: 34, bits: 20 }),
  field({ specName: 'hi', offset: 36, bit: 4, bits: 28, access: 'RsvdZ' }),
]);
const tailed = layout(
  'demo_tailed',
  'demo',
  8,
  [
    field({ specName: 'len', offset: 0, bits: 32 }),
    field({ specName: 'items', offset: 4, bits: 64, type: 'array', array: { count: 1, layoutName: 'demo_inner' } }),
    field({ specName: 'tail', offset: 8, bits: 0, type: 'bytes', bytes: 'rest' }),
  ],
  { variable: true, sizeMultipleOf: 4, proposal: true },
);
tailed.fields[1]!.bits = 32;
const union: UnionModel = {
  kind: 'union',
  name: 'demo_any',
  typeName: 'DemoAny',
  title: 'any',
  doc: 'a union',
  ref: 'TEST',
  spec: 'virtio',
  proposal: false,
  discriminator: { offset: 0, bits: 32, mask: 0xff },
  cases: [{ values: [1, 2], layoutName: 'demo_tailed' }],
  defaultLayout: 'demo_inner',
  group: 'demo',
  module: 'demo-any',
  at,
};

function fileOf(model: LayoutModel | UnionModel, extra: Partial<LayoutFileModel> = {}): LayoutFileModel {
  return {
    file: `spec/layouts/${model.group}/${model.module}.yaml`,
    group: model.group,
    module: model.module,
    spec: 'virtio',
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
    fileOf(reg, {
      enums: [modeEnum],
      flagsets: [statusFlags],
      constants: [
        { name: 'DEMO_BIG', value: 0xfff0000000000000n, doc: 'a 64-bit constant', group: 'demo', module: 'demo-reg', at },
        { name: 'DEMO_SMALL', value: 0x7ff0n, doc: 'a small one', group: 'demo', module: 'demo-reg', at },
      ],
    }),
    fileOf(inner),
    fileOf(tailed),
    fileOf(union),
  ],
  layouts: new Map<string, LayoutModel | UnionModel>([
    ['demo_reg', reg],
    ['demo_inner', inner],
    ['demo_tailed', tailed],
    ['demo_any', union],
  ]),
  enums: new Map([['demo_mode', modeEnum]]),
  flagsets: new Map([['demo_status', statusFlags]]),
  constants: new Map(),
};

const gcc = commandGate('gcc', 'install gcc');
/** A describe block of compile tests: it fails in CI without gcc, and is skipped elsewhere under a title saying so. */
function describeWithGcc(name: string, body: () => void): void {
  describe.skipIf(!gcc.runs)(gcc.title(name), () => {
    beforeAll(() => gcc.require());
    body();
  });
}

const workDirs: string[] = [];
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes the emitted headers under a temp dir and returns its path. */
function writeHeaders(model: SpecModel): string {
  const dir = mkdtempSync(join(tmpdir(), 'xvc-c-headers-'));
  workDirs.push(dir);
  for (const file of cHeadersEmitter.emit(model)) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  return dir;
}

function compile(dir: string, source: string, link: boolean): { ok: boolean; output: string; binary: string } {
  const sourceFile = join(dir, 'unit.c');
  writeFileSync(sourceFile, source);
  const binary = join(dir, link ? 'unit' : 'unit.o');
  const args = ['-std=c11', '-Wall', '-Wextra', '-Werror', `-I${join(dir, 'generated/c')}`, ...(link ? [] : ['-c']), sourceFile, '-o', binary];
  const result = spawnSync('gcc', args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`, binary };
}

describe('c headers emitter: structure', () => {
  const files = cHeadersEmitter.emit(spec);
  const regHeader = files.find((file) => file.path === 'generated/c/xvc/demo/demo-reg.h')!.content;

  it('writes one header per spec file plus the umbrella', () => {
    expect(files.map((file) => file.path).sort()).toEqual(
      [
        'generated/c/xvc/demo/demo-any.h',
        'generated/c/xvc/demo/demo-reg.h',
        'generated/c/xvc/demo/demo-tailed.h',
        'generated/c/xvc/other/demo-inner.h',
        'generated/c/xvc/xvc.h',
      ].sort(),
    );
  });

  it('keeps bit fields out of C bit fields: one container integer with SHIFT and MASK macros', () => {
    expect(regHeader).not.toMatch(/:\s*\d+\s*;/);
    expect(regHeader).toContain('uint16_t enable__count;');
    expect(regHeader).toContain('#define XVC_DEMO_REG_COUNT_SHIFT 4');
    expect(regHeader).toContain('#define XVC_DEMO_REG_COUNT_MASK 0xfff0U');
    expect(regHeader).toContain('#define XVC_DEMO_REG_MODE_MASK 0xeU');
    // 20 + 28 bits across bytes 34..39: a 6-byte container, masks relative to its little-endian value.
    expect(regHeader).toContain('uint8_t lo__hi[6];');
    expect(regHeader).toContain('#define XVC_DEMO_REG_HI_MASK 0xfffffff00000ULL');
  });

  it('renames members that are C keywords, and writes 64-bit values with ULL', () => {
    expect(regHeader).toContain('uint8_t default_[2];');
    expect(regHeader).toContain('#define XVC_DEMO_BIG 0xfff0000000000000ULL');
    expect(regHeader).toContain('#define XVC_DEMO_SMALL 0x7ff0U');
    expect(regHeader).toContain('#define XVC_DEMO_STATUS_HIGH 0x10000000000ULL');
    expect(regHeader).toContain('#define XVC_DEMO_MODE_ON 0x5U');
  });

  it('groups members by container', () => {
    expect(layoutMembers(reg).map((member) => [member.name, member.offset, member.bytes])).toEqual([
      ['id', 0, 2],
      ['enable__count', 2, 2],
      ['addr', 4, 8],
      ['status', 12, 8],
      ['default_', 20, 2],
      ['inner', 22, 4],
      ['words', 26, 8],
      ['lo__hi', 34, 6],
    ]);
  });
});

describeWithGcc('c headers emitter: compiled with gcc', () => {
  it('every header compiles with -std=c11 -Wall -Wextra -Werror, alone and through xvc.h', () => {
    const dir = writeHeaders(spec);
    const includes = cHeadersEmitter
      .emit(spec)
      .map((file) => `#include "${file.path.slice('generated/c/'.length)}"`)
      .join('\n');
    const result = compile(dir, `${includes}\n#include "xvc/xvc.h"\nint xvc_unit_marker;\n`, false);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('a wrong offset fails to compile (the static asserts bite)', () => {
    const broken: SpecModel = { ...spec, files: spec.files.map((file) => ({ ...file })) };
    const shifted = { ...reg, fields: reg.fields.map((entry) => (entry.specName === 'addr' ? { ...entry, offset: 5 } : entry)) };
    broken.files[0] = { ...broken.files[0]!, layout: shifted };
    const dir = writeHeaders(broken);
    const result = compile(dir, '#include "xvc/xvc.h"\nint xvc_unit_marker;\n', false);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/static assert|static_assert/i);
  });

  it('bytes written through the structs and macros are the layout bytes', () => {
    const dir = writeHeaders(spec);
    const program = `
#include <stdio.h>
#include <string.h>
#include "xvc/xvc.h"
int main(void) {
  struct xvc_demo_reg r;
  memset(&r, 0, sizeof r);
  r.id = 0x1af4;
  r.enable__count = (uint16_t)((1u << XVC_DEMO_REG_ENABLE_SHIFT) | ((uint16_t)XVC_DEMO_MODE_ON << XVC_DEMO_REG_MODE_SHIFT)
      | ((0xabcu << XVC_DEMO_REG_COUNT_SHIFT) & XVC_DEMO_REG_COUNT_MASK));
  r.addr = 0x1122334455667788ULL;
  r.status = XVC_DEMO_STATUS_READY | XVC_DEMO_STATUS_HIGH;
  r.inner.value = 0xdeadbeef;
  r.words[3] = 0x0102;
  uint64_t container = (0x12345ULL << XVC_DEMO_REG_LO_SHIFT) & XVC_DEMO_REG_LO_MASK;
  for (int i = 0; i < 6; i++) r.lo__hi[i] = (uint8_t)(container >> (8 * i));
  const unsigned char *p = (const unsigned char *)&r;
  for (size_t i = 0; i < sizeof r; i++) printf("%02x", p[i]);
  printf("\\n");
  return 0;
}
`;
    const result = compile(dir, program, true);
    expect(result.output).toBe('');
    const printed = execFileSync(result.binary, { encoding: 'utf8' }).trim();
    // Hand-computed: 0x1af4 LE; 1 | 5<<1 | 0xabc<<4 = 0xabcb; addr LE; status bits 0 and 40; 2 reserved bytes;
    // inner LE; words[3] at 32..33; lo = 0x12345 in the low 20 bits of bytes 34..39.
    expect(printed).toBe(
      'f41a' + 'cbab' + '8877665544332211' + '0100000000010000' + '0000' + 'efbeadde' + '000000000000' + '0201' + '452301000000',
    );
  });
});

/** A C literal of an integer value, wide enough for any member. */
function cLiteral(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1ULL' : '0ULL';
  return `0x${BigInt(value as number).toString(16)}ULL`;
}

/**
 * C statements that store `value` into the struct lvalue `target`, member by member, using only the
 * generated structs and SHIFT/MASK macros (no knowledge of offsets here).
 */
function cAssignments(model: SpecModel, layoutModel: LayoutModel, value: Record<string, unknown>, target: string): string[] {
  const lines: string[] = [];
  const prefix = `XVC_${layoutModel.name.toUpperCase()}`;
  for (const member of layoutMembers(layoutModel)) {
    const lvalue = `${target}.${member.name}`;
    const entry = member.field;
    if (!entry) {
      const parts = member.bitFields.map((bits) => {
        const name = `${prefix}_${bits.specName.toUpperCase()}`;
        return `((${cLiteral(value[bits.name])} << ${name}_SHIFT) & ${name}_MASK)`;
      });
      const whole = parts.join(' | ');
      if (member.bytes === 1 || member.bytes === 2 || member.bytes === 4 || member.bytes === 8) {
        lines.push(`${lvalue} = (uint${member.bytes * 8}_t)(${whole});`);
      } else {
        lines.push(`{ uint64_t c = ${whole}; for (int i = 0; i < ${member.bytes}; i++) ${lvalue}[i] = (uint8_t)(c >> (8 * i)); }`);
      }
      continue;
    }
    const fieldValue = value[entry.name];
    switch (entry.type) {
      case 'bytes':
        (fieldValue as Uint8Array).forEach((byte, index) => lines.push(`${lvalue}[${index}] = 0x${byte.toString(16)};`));
        break;
      case 'layout':
        lines.push(...cAssignments(model, model.layouts.get(entry.layoutName!) as LayoutModel, fieldValue as Record<string, unknown>, lvalue));
        break;
      case 'array':
        (fieldValue as unknown[]).forEach((item, index) => {
          if (entry.array!.layoutName !== undefined) {
            lines.push(...cAssignments(model, model.layouts.get(entry.array!.layoutName) as LayoutModel, item as Record<string, unknown>, `${lvalue}[${index}]`));
          } else lines.push(`${lvalue}[${index}] = ${cLiteral(item)};`);
        });
        break;
      default:
        lines.push(`${lvalue} = ${cLiteral(fieldValue)};`);
    }
  }
  return lines;
}

describeWithGcc('c headers emitter: the real spec', () => {
  const { model, problems } = loadSpec(join(import.meta.dirname, '..', '..', 'spec'), { repoRoot: join(import.meta.dirname, '..', '..') });

  it('loads', () => {
    expect(problems.map((problem) => problem.message)).toEqual([]);
  });

  it('structs filled member by member give the same bytes as the TypeScript encoder, for every fixed little-endian layout', async () => {
    const { layoutCodecs } = await import('../../generated/ts/registry.ts');
    const { arbitraryRegistry } = await import('../../generated/arbitraries/registry.ts');
    const dir = writeHeaders(model!);
    const body: string[] = [];
    const expected: string[] = [];
    let counter = 0;
    for (const layoutModel of model!.layouts.values()) {
      if (layoutModel.kind !== 'layout' || layoutModel.variable || layoutModel.endianness !== 'little') continue;
      const codec = layoutCodecs[layoutModel.name];
      const arbitrary = arbitraryRegistry.find((entry) => entry.name === layoutModel.name);
      if (!codec || !arbitrary) continue;
      const samples = fc.sample(arbitrary.valid(), { numRuns: 3, seed: 42 + counter });
      samples.forEach((sample, index) => {
        const variable = `v${counter++}`;
        body.push(`  { struct xvc_${layoutModel.name} ${variable}; memset(&${variable}, 0, sizeof ${variable});`);
        body.push(...cAssignments(model!, layoutModel, sample as Record<string, unknown>, variable).map((line) => `    ${line}`));
        body.push(`    dump("${layoutModel.name}#${index}", &${variable}, sizeof ${variable}); }`);
        expected.push(`${layoutModel.name}#${index} ${Buffer.from(codec.encode(sample)).toString('hex')}`);
      });
    }
    expect(expected.length).toBeGreaterThan(30);
    const program = `#include <stdio.h>
#include <string.h>
#include "xvc/xvc.h"
static void dump(const char *name, const void *data, size_t length) {
  const unsigned char *p = data;
  printf("%s ", name);
  for (size_t i = 0; i < length; i++) printf("%02x", p[i]);
  printf("\\n");
}
int main(void) {
${body.join('\n')}
  return 0;
}
`;
    const result = compile(dir, program, true);
    expect(result.output).toBe('');
    const printed = execFileSync(result.binary, { encoding: 'utf8' }).trim().split('\n');
    expect(printed).toEqual(expected);
  });
});
