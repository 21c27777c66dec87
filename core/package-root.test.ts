import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPackageRoot, packagePath, packageRoot, packageVersion } from './package-root.ts';

describe('packageRoot', () => {
  it('is the folder whose package.json is xvc', () => {
    expect(packagePath('package.json')).toBe(join(packageRoot, 'package.json'));
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(packageRoot).toBe(join(import.meta.dirname, '..'));
  });

  it('skips package.json files of other packages on the way up', () => {
    const top = mkdtempSync(join(tmpdir(), 'xvc-root-'));
    writeFileSync(join(top, 'package.json'), JSON.stringify({ name: 'xvc' }));
    const inner = join(top, 'node_modules', 'other', 'lib');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(top, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(findPackageRoot(inner)).toBe(top);
  });

  it('fails with the starting folder when no xvc package is above it', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'xvc-none-'));
    expect(() => findPackageRoot(lonely)).toThrow(lonely);
  });
});
