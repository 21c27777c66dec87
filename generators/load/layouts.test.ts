import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from './spec.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const brokenDir = join(import.meta.dirname, 'fixtures', 'broken');
const helpers = ['helper-layout.yaml', 'helper-layout-two.yaml', 'helper-tail-layout.yaml'];
const scratch: string[] = [];

/** Builds a throw-away spec/ holding the real schemas and versions, plus the given layout files. */
function specWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'xvc-spec-'));
  scratch.push(root);
  cpSync(join(repoRoot, 'spec', 'schema'), join(root, 'spec', 'schema'), { recursive: true });
  cpSync(join(repoRoot, 'spec', 'versions.yaml'), join(root, 'spec', 'versions.yaml'));
  mkdirSync(join(root, 'spec', 'layouts', 'test'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'spec', 'layouts', 'test', name), text);
  return root;
}

afterAll(() => {
  for (const root of scratch) rmSync(root, { recursive: true, force: true });
});

describe('broken layout files give located errors', () => {
  const cases = readdirSync(brokenDir).filter((name) => !helpers.includes(name));
  it('has the broken layout fixtures to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(19);
  });
  it.each(cases)('%s', (name) => {
    const text = readFileSync(join(brokenDir, name), 'utf8');
    // The expected code and position are written by hand in each fixture's first line.
    const expectation = /^# expect: (XVC\d{4}) (\d+):(\d+)/.exec(text);
    expect(expectation, `${name} needs an '# expect: CODE line:column' header`).not.toBeNull();
    const [, code, line, column] = expectation!;
    const files: Record<string, string> = { [name]: text };
    for (const helper of helpers) files[helper] = readFileSync(join(brokenDir, helper), 'utf8');
    const root = specWith(files);
    const { model, problems } = loadSpec(join(root, 'spec'), { repoRoot: root });
    expect(model).toBeUndefined();
    expect(problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code}`)).toContain(
      `spec/layouts/test/${name}:${line}:${column} ${code}`,
    );
  });

  it('the helper layouts alone load cleanly', () => {
    const files: Record<string, string> = {};
    for (const helper of helpers) files[helper] = readFileSync(join(brokenDir, helper), 'utf8');
    const root = specWith(files);
    const { model, problems } = loadSpec(join(root, 'spec'), { repoRoot: root });
    expect(problems).toEqual([]);
    expect(model?.layouts.size).toBe(helpers.length);
  });

  it('reports every problem, not only the first', () => {
    const files: Record<string, string> = {};
    for (const name of ['overlapping-fields.yaml', 'field-past-size.yaml', 'unknown-since.yaml']) {
      files[name] = readFileSync(join(brokenDir, name), 'utf8');
    }
    const root = specWith(files);
    const codes = loadSpec(join(root, 'spec'), { repoRoot: root }).problems.map((problem) => problem.code);
    expect(codes).toEqual(expect.arrayContaining(['XVC1005', 'XVC1006', 'XVC1008']));
  });

  it('flags a requirement id the catalogue does not know', () => {
    const text = `spec: virtio\nref: test\nlayout:\n  name: with_requirement\n  title: T\n  doc: d\n  size: 1\n  fields:\n    - name: a\n      offset: 0\n      bits: 8\n      constraints: { const: 1 }\n      requirement: PCI-DEV-99\n      doc: d\n`;
    const root = specWith({ 'with-requirement.yaml': text });
    const { problems } = loadSpec(join(root, 'spec'), { repoRoot: root, requirementIds: new Set(['PCI-DEV-01']) });
    expect(problems.map((problem) => `${problem.line}:${problem.column} ${problem.code}`)).toEqual(['9:7 XVC1012']);
  });
});

describe('the real spec', () => {
  it('loads without problems', () => {
    const { problems } = loadSpec(join(repoRoot, 'spec'), { repoRoot });
    expect(problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code} ${problem.message}`)).toEqual([]);
  });
});
