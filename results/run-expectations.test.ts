import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedOutcome, runExpectations } from './run-expectations.ts';

const dir = mkdtempSync(join(tmpdir(), 'xvc-run-expectations-'));
const userFile = join(dir, 'mine.yaml');
writeFileSync(userFile, 'expectations:\n  - { target: "dump:*", requirement: PCI-DEV-09, reason: our firmware bug }\n');

describe('runExpectations', () => {
  it('adds the user file to the built-in entries about the run\'s own targets', () => {
    const loaded = runExpectations({ files: [userFile], builtin: true, targets: ['dump:x.txt', 'model:linux-6.5'] });
    if (!loaded.ok) throw new Error('fixtures load');
    const targets = new Set(loaded.expectations?.entries.map((entry) => entry.target));
    expect(targets.has('dump:*')).toBe(true);
    expect([...targets].some((target) => target.includes('linux-6.5'))).toBe(true);
    expect([...targets].some((target) => target.includes('linux-2026'))).toBe(false);
    expect(loaded.expectations?.entries[0]?.target).toBe('dump:*');
  });

  it('keeps every built-in reason whole: none is cut by a `#` that YAML would read as a comment', () => {
    const loaded = runExpectations({ files: [], builtin: true, targets: ['model:linux-6.2', 'model:linux-6.5', 'model:linux-2026', 'model:linux-7.2'] });
    if (!loaded.ok) throw new Error(loaded.problems.map((problem) => problem.message).join('\n'));
    const reasons = loaded.expectations!.entries.map((entry) => entry.reason);
    expect(reasons.filter((reason) => reason.includes('#iommu-cells')).length).toBeGreaterThanOrEqual(8);
    expect(reasons.filter((reason) => !/[.)]$/.test(reason.trim()))).toEqual([]);
  });

  it('drops the built-ins on request, and has nothing when nothing applies', () => {
    const loaded = runExpectations({ files: [userFile], builtin: false, targets: ['model:linux-6.5'] });
    expect(loaded.ok && loaded.expectations?.entries.map((entry) => entry.target)).toEqual(['dump:*']);
    expect(runExpectations({ files: [], builtin: true, targets: ['dump:y'] })).toEqual({ ok: true, expectations: undefined });
  });

  it('reports every problem of a file that does not load, located', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'expectations:\n  - target: x\n');
    const loaded = runExpectations({ files: [bad], builtin: true, targets: [] });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems[0]).toMatchObject({ file: bad, line: 2 });
  });
});

describe('expectedOutcome', () => {
  it('counts a covered failure as xfail and a covered pass as xpass, anything else as it is', () => {
    const loaded = runExpectations({ files: [userFile], builtin: false, targets: [] });
    const expectations = loaded.ok ? loaded.expectations : undefined;
    expect(expectedOutcome(expectations, { target: 'dump:a', requirement: 'PCI-DEV-09', outcome: 'fail' })).toBe('xfail');
    expect(expectedOutcome(expectations, { target: 'dump:a', requirement: 'PCI-DEV-09', outcome: 'pass' })).toBe('xpass');
    expect(expectedOutcome(expectations, { target: 'dump:a', requirement: 'PCI-DEV-10', outcome: 'fail' })).toBe('fail');
    expect(expectedOutcome(expectations, { target: 'dump:a', requirement: 'PCI-DEV-09', outcome: 'error' })).toBe('error');
  });
});
