import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { loadSpec, loadVersions } from './spec.ts';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A spec/ with the real schemas and `versions` as versions.yaml, and `layouts` under layouts/test/. */
function specDir(versions: string, layouts: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'xvc-spec-'));
  scratch.push(root);
  cpSync(join(packageRoot, 'spec', 'schema'), join(root, 'spec', 'schema'), { recursive: true });
  writeFileSync(join(root, 'spec', 'versions.yaml'), versions);
  if (Object.keys(layouts).length > 0) mkdirSync(join(root, 'spec', 'layouts', 'test'), { recursive: true });
  for (const [name, text] of Object.entries(layouts)) writeFileSync(join(root, 'spec', 'layouts', 'test', name), text);
  return root;
}

const versions = 'families:\n  virtio:\n    doc: virtio\n    versions: ["1.0", "1.2"]\n';

describe('spec loading', () => {
  it('reads the spec families and their versions', () => {
    const root = specDir(versions);
    const loaded = loadVersions(join(root, 'spec'), root);
    expect(loaded.problems).toEqual([]);
    expect([...loaded.versions]).toEqual([['virtio', ['1.0', '1.2']]]);
  });

  it('gives no model when anything is wrong, and every problem sorted by file and position', () => {
    const layout = (name: string, body: string) => `spec: virtio\nref: test\nlayout:\n  name: ${name}\n  title: T\n  doc: d\n  size: 1\n  fields:\n${body}`;
    const root = specDir(versions, {
      'b-layout.yaml': layout('b_layout', '    - { name: a, offset: 0, bits: 8, since: "9.9", doc: d }\n'),
      'a-layout.yaml': layout('a_layout', '    - { name: a, offset: 0, bits: 4, doc: d }\n    - { name: b, offset: 0, bit: 2, bits: 6, doc: d }\n'),
    });
    const { model, problems } = loadSpec(join(root, 'spec'), { repoRoot: root });
    expect(model).toBeUndefined();
    expect(problems.map((problem) => `${problem.file}:${problem.line} ${problem.code}`)).toEqual([
      'spec/layouts/test/a-layout.yaml:10 XVC1005',
      'spec/layouts/test/b-layout.yaml:9 XVC1008',
    ]);
  });

  it('gives the model of a spec without problems, and of one without layouts', () => {
    const root = specDir(versions, { 'one.yaml': 'spec: virtio\nref: test\nlayout:\n  name: one\n  title: T\n  doc: d\n  size: 1\n  fields:\n    - { name: a, offset: 0, bits: 8, doc: d }\n' });
    const { model, problems } = loadSpec(join(root, 'spec'), { repoRoot: root });
    expect(problems).toEqual([]);
    expect([...model!.layouts.keys()]).toEqual(['one']);
    const empty = loadSpec(join(specDir(versions), 'spec'));
    expect(empty.model?.files).toEqual([]);
  });

  it('refuses a versions file that does not match its schema', () => {
    const root = specDir('families: 3\n');
    expect(loadVersions(join(root, 'spec'), root).problems.map((problem) => problem.code)).toEqual(['XVC1002']);
  });
});
