import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_YAML_DEPTH, parseLocatedYaml, readLocatedYaml } from './located-yaml.ts';

describe('parseLocatedYaml', () => {
  it('parses and locates nodes by path', () => {
    const parsed = parseLocatedYaml('a:\n  b: [1, 2]\n', 'f.yaml');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.yaml.data).toEqual({ a: { b: [1, 2] } });
    expect(parsed.yaml.positionOf(['a', 'b', 1])).toEqual({ file: 'f.yaml', line: 2, column: 10 });
  });

  it('refuses a plain value that a `#word` cuts short, located at the #, and keeps comments written as comments', () => {
    const cut = parseLocatedYaml('entries:\n  - reason: reads #iommu-cells of the node\n', 'f.yaml');
    expect(cut).toMatchObject({ ok: false, problems: [{ code: 'XVC1022', file: 'f.yaml', line: 2, column: 19 }] });
    if (!cut.ok) expect(cut.problems[0]!.message).toContain("'#iommu-cells of the node'");
    for (const text of ['reason: reads  # a note\n', 'reason: "reads #iommu-cells"\n', "reason: 'reads #iommu-cells'\n", '# a comment line\nreason: x\n', 'reason: a#b\n']) {
      expect(parseLocatedYaml(text, 'f.yaml').ok, text).toBe(true);
    }
    expect(parseLocatedYaml('reason: "reads #iommu-cells"\n', 'f.yaml')).toMatchObject({ ok: true, yaml: { data: { reason: 'reads #iommu-cells' } } });
  });

  it(`reads lists and maps nested ${MAX_YAML_DEPTH} deep and refuses one level more, located at the collection too deep`, () => {
    const nested = (levels: number): string => `a: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    expect(parseLocatedYaml(nested(MAX_YAML_DEPTH), 'f.yaml').ok).toBe(true);
    // The top map is level 1, so its value's first '[' (column 4) is level 2, and level k is at column k + 2.
    const column = MAX_YAML_DEPTH + 1 + 2;
    expect(parseLocatedYaml(nested(MAX_YAML_DEPTH + 1), 'f.yaml')).toMatchObject({ ok: false, problems: [{ code: 'XVC1023', line: 1, column }] });
  });

  it('refuses nesting deep enough to exhaust the parser with the same located problem, flow or block', () => {
    const flow = `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const block = ['a:', ...Array.from({ length: 1_500 }, (_, level) => `${' '.repeat(level + 1)}-`)].join('\n');
    for (const text of [flow, block]) {
      const parsed = parseLocatedYaml(text, 'f.yaml');
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.problems.map((problem) => problem.code)).toEqual(['XVC1023']);
      expect(parsed.problems[0]!.message).not.toMatch(/call stack/);
    }
  });

  it('gives one problem for a nesting that exhausts the parser, not one per collection it left open', () => {
    const parsed = parseLocatedYaml(`a: ${'['.repeat(100_000)}\n`, 'f.yaml');
    expect(parsed).toMatchObject({ ok: false, problems: [{ code: 'XVC1023', line: 1 }] });
    if (!parsed.ok) expect(parsed.problems).toHaveLength(1);
  });

  it('lists twenty syntax errors and counts the rest in a last problem located where they start', () => {
    const text = Array.from({ length: 100 }, (_, index) => `k${index}: a: b`).join('\n');
    const parsed = parseLocatedYaml(text, 'f.yaml');
    if (parsed.ok) throw new Error('parsed a file of 100 syntax errors');
    expect(parsed.problems).toHaveLength(21);
    expect(parsed.problems.every((problem) => problem.code === 'XVC1001')).toBe(true);
    expect(parsed.problems.slice(0, 20).map((problem) => problem.line)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(parsed.problems[20]).toMatchObject({ line: 21, message: 'and 80 more YAML syntax error(s) from here on' });
  });

  it('accepts anchors used the way people use them', () => {
    const parsed = parseLocatedYaml('base: &b { x: 1 }\none: *b\ntwo: *b\n', 'f.yaml');
    expect(parsed.ok && parsed.yaml.data).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
  });

  it('refuses exponential alias expansion with a located problem instead of throwing', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++) lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    const parsed = parseLocatedYaml(`${lines.join('\n')}\n`, 'bomb.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ code: 'XVC1016', file: 'bomb.yaml', line: 2, column: 10 });
    expect(parsed.problems[0]!.message).toContain(String(MAX_ALIAS_COUNT));
  });
});

describe('readLocatedYaml', () => {
  it('reports a FIFO, a directory and a missing file as read failures at line 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-yaml-'));
    try {
      const fifo = join(dir, 'pipe.yaml');
      execFileSync('mkfifo', [fifo]);
      writeFileSync(join(dir, 'ok.yaml'), 'a: 1\n');
      expect(readLocatedYaml(join(dir, 'ok.yaml')).ok).toBe(true);
      for (const [file, words] of [[fifo, 'fifo'], [dir, 'directory'], [join(dir, 'nope.yaml'), 'no such file']] as const) {
        const read = readLocatedYaml(file, 'shown.yaml');
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.problems[0]).toMatchObject({ code: 'XVC1014', file: 'shown.yaml', line: 1, column: 1, message: expect.stringContaining(words) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
