import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { propertyParameters } from '../test-support/fast-check-seed.ts';
import { packageRoot } from './package-root.ts';
import { MAX_ESTIMATED_NESTING, nestingBeyond } from './yaml-nesting.ts';

/** Lists and maps nested in `value`, as the parser recurses into them. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value as object);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map(depthOf)));
}

const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'medium', withCrossShrink: true }, fc.oneof(fc.integer(), fc.string({ maxLength: 6 })), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  map: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('value'), { maxKeys: 3 }),
})).value;

describe('nestingBeyond', () => {
  it('never counts fewer levels than a document nests, in block, flow and JSON form', () => {
    fc.assert(
      fc.property(nested, fc.constantFrom('block', 'flow', 'json'), (value, form) => {
        const depth = depthOf(value);
        fc.pre(depth > 0);
        const text = form === 'json' ? JSON.stringify(value, null, 1) : stringify({ a: value }, { collectionStyle: form === 'flow' ? 'flow' : 'block' });
        const levels = form === 'json' ? depth : depth + 1;
        // Beyond levels - 1 somewhere: the estimate reached the depth.
        expect(nestingBeyond(text, levels - 1), text).not.toBeUndefined();
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('finds the bracket where a flow nesting passes the bound, and a compact or indented block one', () => {
    expect(nestingBeyond(`a: ${'['.repeat(10)}`, 5)).toBe(3 + 4);
    expect(nestingBeyond(`a:\n${'- '.repeat(10)}x\n`, 5)).toBeDefined();
    const stairs = ['a:', ...Array.from({ length: 10 }, (_, level) => `${' '.repeat(level + 1)}-`)].join('\n');
    expect(nestingBeyond(stairs, 5)).toBeDefined();
    expect(nestingBeyond(`a: ${'['.repeat(100_000)}`)).toBe(3 + MAX_ESTIMATED_NESTING - 1);
  });

  it('does not count brackets inside quoted scalars or comments', () => {
    const brackets = '['.repeat(50);
    for (const text of [`a: "${brackets}"\n`, `a: '${brackets}'\n`, `a: 'it''s ${brackets}'\n`, `a: "\\" ${brackets}"\n`, `# ${brackets}\na: 1\n`, `a: 1 # ${brackets}\n`, `a: [ "x", '${brackets}' ]\n`]) {
      expect(nestingBeyond(text, 10), text).toBeUndefined();
    }
    // A quote inside a plain scalar opens nothing, so the brackets after it still count.
    expect(nestingBeyond(`a: it's\nb: ${brackets}\n`, 10)).toBeDefined();
  });

  it('leaves every YAML file of the repository far below the bound', () => {
    const files: string[] = [];
    const visit = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) visit(join(folder, entry.name));
        else if (/\.ya?ml$/.test(entry.name)) files.push(join(folder, entry.name));
      }
    };
    for (const folder of ['spec', 'fixtures', 'examples']) visit(join(packageRoot, folder));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect(nestingBeyond(readFileSync(file, 'utf8'), MAX_ESTIMATED_NESTING / 4), file).toBeUndefined();
  });
});
