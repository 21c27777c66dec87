import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { listYamlFiles, parseLayoutFiles } from './layout-files.ts';

const schema = join(packageRoot, 'spec', 'schema', 'layout.schema.json');
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A layouts directory holding `files` (relative path → text), under a root that positions are shown from. */
function layoutsWith(files: Record<string, string>): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'xvc-layout-files-'));
  scratch.push(root);
  const dir = join(root, 'spec', 'layouts');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { root, dir };
}

const register = `spec: virtio
ref: VS13 §1
constants:
  - { name: WIDE, value: "0xffffffffffffffff", doc: All ones. }
enums:
  - name: demo_kind
    doc: Kinds.
    values:
      - { name: ONE, value: 1, doc: one }
layout:
  name: demo_reg
  title: Demo register
  doc: A register.
  minSize: 4
  sizeMultipleOf: 4
  fields:
    - { name: cap_len, offset: 0, bits: 8, constraints: { range: [16, 255], align: 4 }, doc: length }
    - { name: kind, offset: 1, bits: 8, type: enum, enum: demo_kind, open: true, access: RW, doc: kind }
    - { name: on, offset: 2, bit: 3, type: bool, doc: flag }
    - { name: low, offset: 2, bits: 3, doc: low }
    - { name: high, offset: 2, bit: 4, bits: 4, doc: high }
    - { name: pad, offset: 3, type: bytes, bytes: 1, access: RsvdZ, doc: pad }
    - { name: data, offset: 4, type: bytes, bytes: rest, doc: tail }
`;

describe('layout files', () => {
  it('are every .yaml and .yml file below the directory, sorted', () => {
    const { dir } = layoutsWith({ 'b/z.yaml': '', 'a.yml': '', 'b/a.yaml': '', 'notes.txt': '' });
    expect(listYamlFiles(dir).map((file) => file.slice(dir.length + 1))).toEqual(['a.yml', 'b/a.yaml', 'b/z.yaml']);
  });

  it('become file models named after their folder and file, fields resolved to their defaults', () => {
    const { root, dir } = layoutsWith({ 'virtio/demo-reg.yaml': register });
    const { files, problems } = parseLayoutFiles(dir, schema, root);
    expect(problems).toEqual([]);
    const [file] = files;
    expect([file!.group, file!.module, file!.file]).toEqual(['virtio', 'demo-reg', 'spec/layouts/virtio/demo-reg.yaml']);
    expect(file!.constants[0]!.value).toBe(0xffff_ffff_ffff_ffffn);
    expect(file!.enums[0]!.typeName).toBe('DemoKind');
    const layout = file!.layout!;
    if (layout.kind !== 'layout') throw new Error('a layout was expected');
    expect([layout.typeName, layout.size, layout.variable, layout.sizeMultipleOf, layout.endianness, layout.ref]).toEqual(['DemoReg', 4, true, 4, 'little', 'VS13 §1']);
    const byName = new Map(layout.fields.map((field) => [field.specName, field]));
    expect(byName.get('cap_len')).toMatchObject({ name: 'capLen', access: 'RO', type: 'uint', bits: 8, constraints: { range: [16n, 255n], align: 4 } });
    expect(byName.get('kind')).toMatchObject({ enumName: 'demo_kind', open: true, access: 'RW' });
    expect(byName.get('on')).toMatchObject({ bit: 3, bits: 1, type: 'bool' });
    expect(byName.get('pad')).toMatchObject({ bits: 8, bytes: 1, access: 'RsvdZ' });
    expect(byName.get('data')).toMatchObject({ bits: 0, bytes: 'rest' });
    expect(byName.get('cap_len')!.at.line).toBe(17);
  });

  it('report YAML syntax, schema violations and a file named unlike its layout, each located, and keep reading', () => {
    const { root, dir } = layoutsWith({
      'a/broken.yaml': 'spec: virtio\nref: [unclosed\n',
      'a/bad-schema.yaml': 'spec: virtio\nref: test\nlayout:\n  name: bad_schema\n  title: T\n  doc: d\n  size: 1\n  fields:\n    - { name: a, offset: 0, bits: 8, colour: red, doc: d }\n',
      'a/wrong-name.yaml': 'spec: virtio\nref: test\nlayout:\n  name: right_name\n  title: T\n  doc: d\n  size: 1\n  fields:\n    - { name: a, offset: 0, bits: 8, doc: d }\n',
      'b/fine.yaml': 'spec: virtio\nref: test\nconstants:\n  - { name: FINE, value: 1, doc: d }\n',
    });
    const { files, problems } = parseLayoutFiles(dir, schema, root);
    expect(problems.map((problem) => `${problem.file}:${problem.line} ${problem.code}`)).toEqual([
      'spec/layouts/a/bad-schema.yaml:9 XVC1002',
      'spec/layouts/a/broken.yaml:3 XVC1001',
      'spec/layouts/a/wrong-name.yaml:4 XVC1011',
    ]);
    expect(files.map((file) => file.module)).toEqual(['wrong-name', 'fine']);
  });
});
