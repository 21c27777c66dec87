/**
 * The catalogue of errors (core/diagnostics.ts) against the tree: every error class is an XvcError
 * naming catalogued entries, and every entry is used by some module of the product.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnosticList } from '../../core/diagnostics.ts';
import { packageRoot } from '../../core/package-root.ts';
import { checkErrorClasses, scanSources } from './error-classes.ts';

/** Folders that never hold the project's own TypeScript. */
const ignored = new Set(['node_modules', '.git', 'dist', 'xvc-report', 'coverage']);

function typeScriptFiles(folder = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(packageRoot, folder), { withFileTypes: true })) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!ignored.has(entry.name) && !entry.name.startsWith('.')) found.push(...typeScriptFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

const isTest = (file: string): boolean => file.endsWith('.test.ts') || file.startsWith('test-support/') || file.startsWith('bench/');

/**
 * Error classes that are no error of the catalogue, each with why: StopRun ends a fast-check
 * property run early and never leaves conformance/frontend/run-property.ts.
 */
const exempt = new Set(['StopRun']);

const catalogue = new Set(diagnosticList.map((entry) => entry.name));
const files = typeScriptFiles();
const facts = scanSources(packageRoot, files);

const scratch = mkdtempSync(join(tmpdir(), 'xvc-error-classes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the error classes of the tree', () => {
  it('are all found', () => {
    expect(facts.problems).toEqual([]);
    const errorClasses = facts.classes.filter((derived) => derived.superClass === 'XvcError' || derived.superClass === 'TargetError');
    expect(errorClasses.length).toBeGreaterThan(25);
    expect(facts.aliases.get('TargetErrorKind')).toContain('targetCrashed');
  });

  it('extend XvcError and name catalogued entries only', () => {
    const violations = checkErrorClasses(facts.classes, catalogue, exempt);
    expect(violations.map((violation) => violation.message)).toEqual([]);
  });

  it('leave no catalogue entry unused by the product', () => {
    const unused = diagnosticList
      .map((entry) => entry.name)
      .filter((name) => !(facts.used.get(name) ?? []).some((file) => file !== 'core/diagnostics.ts' && !isTest(file)));
    expect(unused).toEqual([]);
  });

  it('have unique codes, and former codes that no entry still uses', () => {
    const codes = diagnosticList.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    const formers = new Set(diagnosticList.flatMap((entry) => entry.formerly ?? []));
    for (const code of codes) expect(formers.has(code), code).toBe(false);
  });
});

describe('checkErrorClasses', () => {
  it('refuses a planted error class outside the catalogue, one naming an unknown entry, and one naming none', () => {
    const file = 'planted.ts';
    writeFileSync(
      join(scratch, file),
      [
        "type Kinds = 'targetCrashed' | 'noSuchEntry';",
        'export class Plain extends Error {}',
        'export class Deeper extends Plain {}',
        "export class Good extends XvcError<'badUsage'> {}",
        'export class Aliased extends XvcError<Kinds> {}',
        'export class Bare extends XvcError {}',
        'export class Inherits extends Good {}',
        'export class Skipped extends Error {}',
      ].join('\n'),
    );
    const planted = scanSources(scratch, [file]);
    const violations = checkErrorClasses(planted.classes, catalogue, new Set(['Skipped']));
    expect(violations.map((violation) => [violation.code, violation.message.split(' ')[1]])).toEqual([
      ['not-an-xvc-error', 'Plain'],
      ['not-an-xvc-error', 'Deeper'],
      ['uncatalogued-entry', 'Aliased'],
      ['no-entry', 'Bare'],
    ]);
  });

  it('collects string literals and diagnostics.X reads as uses', () => {
    writeFileSync(join(scratch, 'uses.ts'), "const a = diagnostics.checkCrashed.code; const b = { x: 'guestPanic' }; const c = other.badUsage;\n");
    const { used } = scanSources(scratch, ['uses.ts']);
    expect(used.get('checkCrashed')).toEqual(['uses.ts']);
    expect(used.get('guestPanic')).toEqual(['uses.ts']);
    expect(used.has('badUsage')).toBe(false);
  });
});
