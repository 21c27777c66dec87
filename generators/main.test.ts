import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.ts';
import { generateAll, generatedFiles, generatedRoots } from './main.ts';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('npm run generate', () => {
  it('writes only under the roots it owns, so that --check can tell stale and extra files', async () => {
    const { files, problems } = await generateAll(packageRoot);
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
    const outside = files.filter((file) => !generatedRoots.some((root) => file.path.startsWith(`${root}/`)));
    expect(outside.map((file) => file.path).sort()).toEqual([...generatedFiles].sort());
    expect(new Set(files.map((file) => file.path)).size).toBe(files.length);
  });

  it('writes nothing from a spec with problems, and reports each located', async () => {
    const root = mkdtempSync(join(tmpdir(), 'xvc-generate-'));
    scratch.push(root);
    cpSync(join(packageRoot, 'spec'), join(root, 'spec'), { recursive: true });
    writeFileSync(join(root, 'spec', 'layouts', 'pci', 'broken-thing.yaml'), 'spec: pci\nref: test\nlayout:\n  name: broken_thing\n  title: T\n  doc: d\n  size: 1\n  fields:\n    - { name: a, offset: 0, bits: 8, type: enum, enum: nowhere, doc: d }\n');
    const { files, problems } = await generateAll(root);
    expect(files).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/^spec\/layouts\/pci\/broken-thing\.yaml:9:7 XVC1004 /)]);
  });
});
