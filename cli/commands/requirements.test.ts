/**
 * The traceability gate CI relies on: every testable requirement has at least one conformance test,
 * and no test names an id the catalogue does not define.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..', '..');

describe('xvc requirements --check', () => {
  it('finds a test for every testable requirement and no unknown ids', () => {
    const child = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'requirements', '--check', '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const report = JSON.parse(child.stdout) as { uncovered: string[]; unknown: unknown[]; errors: string[]; counts: { covered: number } };
    expect(report.uncovered).toEqual([]);
    expect(report.unknown).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.counts.covered).toBeGreaterThan(50);
  }, 300_000);
});
