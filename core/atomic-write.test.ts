import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'summary.md');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new ✓');
    expect(readFileSync(file, 'utf8')).toBe('new ✓');
    expect(readdirSync(dir)).toEqual(['summary.md']);
  });

  it('leaves what was there and no temporary file when the rename cannot complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-atomic-'));
    dirs.push(dir);
    // A non-empty directory where the file should go: writing the temporary file works, the rename fails.
    const blocked = join(dir, 'report.html');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep'), 'x');
    expect(() => writeFileAtomic(blocked, 'new')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readdirSync(blocked)).toEqual(['keep']);
  });
});
