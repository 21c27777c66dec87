import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { diagnostics } from '../../core/diagnostics.ts';
import { errorsDocEmitter, errorsDocPath, renderErrorsDoc } from './errors-doc.ts';

describe('docs/errors.md', () => {
  const doc = renderErrorsDoc();

  it('lists every code of the catalogue once, with its name, category section and title', () => {
    for (const [name, entry] of Object.entries(diagnostics)) {
      const rows = doc.split('\n').filter((line) => line.startsWith(`| ${entry.code} |`));
      expect(rows, entry.code).toHaveLength(1);
      expect(rows[0]).toContain(`\`${name}\``);
      expect(rows[0]).toContain(entry.title.replace(/\|/g, '\\|'));
      const section = doc.lastIndexOf('\n## ', doc.indexOf(rows[0]!));
      expect(doc.slice(section + 4, doc.indexOf('\n', section + 1)), entry.code).toMatch(new RegExp(`^${entry.category} \\(exit code [23]\\)$`));
    }
  });

  it('gives each category its exit code and its block of codes', () => {
    expect(doc).toContain('| usage | XVC2000–XVC2999 | 2 |');
    expect(doc).toContain('| target | XVC4000–XVC4999 | 3 |');
    expect(doc).toContain('## internal (exit code 3)');
    expect(doc).toContain('| XVC4001 | `targetCrashed` | the target crashed | `target-crashed` |');
  });

  it('is what the repository holds', () => {
    const files = errorsDocEmitter.emit({} as Parameters<typeof errorsDocEmitter.emit>[0]);
    expect(files.map((file) => file.path)).toEqual([errorsDocPath]);
    expect(readFileSync(join(packageRoot, errorsDocPath), 'utf8')).toBe(doc);
  });
});
