import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../core/package-root.ts';
import { applyExpectations, entryCovers, isExpired, loadExpectations, parseExpectations, verdict, type Expectations } from './expectations.ts';
import { sampleResults } from '../test-support/sample-results.ts';
import { recordsSha256 } from './records-hash.ts';
import type { RunResults } from './result-model.ts';
import { validateResults } from './validate-results.ts';
import { buildMechanismMatrix } from './mechanism-matrix.ts';

function load(text: string): Expectations {
  const loaded = parseExpectations(text, 'xvc-expect.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`).join('\n'));
  return loaded.expectations;
}

/** The sample without the errored record and with no prior expectations: only pass/fail/skip left. */
function cleanRun(): RunResults {
  const results = sampleResults();
  const records = results.records
    .filter((record) => record.outcome !== 'error')
    .map(({ expectation: _e, ...record }) => ({ ...record, outcome: record.outcome === 'xfail' ? ('fail' as const) : record.outcome }));
  return { ...results, records, metadata: { ...results.metadata, recordsSha256: recordsSha256(records) } };
}

const file = `expectations:
  - target: "dump:*"
    requirement: PCI-DEV-02
    reason: the captured NIC is not a virtio device
    link: https://example.invalid/issues/1
  - target: reference
    requirement: XEN-INV-06
    mechanism: dt-iommus
    reason: was broken before the fix
  - target: qemu:virtio-net-pci
    requirement: PCI-DEV-09
    reason: fixed upstream in 9.3
    expires: 2026-01-31
  - target: model:linux-6.2
    requirement: XEN-INV-03
    mechanism: dom0-default
    reason: accepted until virtio 1.4 is in the catalogue
    expires: { family: virtio, version: "1.4" }
  - target: "exec:*"
    requirement: "VIRTIO-DEV-*"
    reason: never runs here
`;

describe('applyExpectations', () => {
  it('turns a matched fail into xfail and a matched pass into xpass, carrying the entry', () => {
    const applied = applyExpectations(cleanRun(), load(file), '2026-11-24');
    const vendor = applied.records.find((record) => record.requirement === 'PCI-DEV-02');
    expect(vendor?.outcome).toBe('xfail');
    expect(vendor?.expectation).toMatchObject({ reason: 'the captured NIC is not a virtio device', link: 'https://example.invalid/issues/1', source: 'xvc-expect.yaml:2:5' });
    const reference = applied.records.find((record) => record.requirement === 'XEN-INV-06' && record.target === 'reference');
    expect(reference?.outcome).toBe('xpass');
    expect(applied.expectations?.applied).toBe(2);
    expect(validateResults(applied)).toEqual([]);
    expect(applied.metadata.recordsSha256).toBe(recordsSha256(applied.records));
  });

  it('lists expired entries (by date and by spec version) and leaves their failures unexpected', () => {
    const applied = applyExpectations(cleanRun(), load(file), new Date('2026-11-24T10:00:00Z'));
    expect(applied.expectations?.expired.map((entry) => entry.requirement)).toEqual(['PCI-DEV-09', 'XEN-INV-03']);
    expect(applied.expectations?.expired[1]?.expires).toBe('virtio 1.4');
    expect(applied.records.find((record) => record.requirement === 'PCI-DEV-09')?.outcome).toBe('fail');
    expect(applied.records.find((record) => record.requirement === 'XEN-INV-03')?.outcome).toBe('fail');
  });

  it('applies a date entry through its last day and not after', () => {
    const onLastDay = applyExpectations(cleanRun(), load(file), '2026-01-31');
    expect(onLastDay.records.find((record) => record.requirement === 'PCI-DEV-09')?.outcome).toBe('xfail');
    const dayAfter = applyExpectations(cleanRun(), load(file), '2026-02-01');
    expect(dayAfter.records.find((record) => record.requirement === 'PCI-DEV-09')?.outcome).toBe('fail');
  });

  it('lists live entries that matched no record', () => {
    const applied = applyExpectations(cleanRun(), load(file), '2026-11-24');
    expect(applied.expectations?.unmatched.map((entry) => entry.source)).toEqual(['xvc-expect.yaml:19:5']);
  });

  it('never turns a harness error into an expected result', () => {
    const results = sampleResults();
    const applied = applyExpectations(results, load('expectations:\n  - { target: "exec:*", requirement: XEN-INV-06, reason: flaky adapter }\n'), '2026-11-24');
    expect(applied.records.find((record) => record.target === 'exec:./adapter')?.outcome).toBe('error');
    expect(verdict(applied)).toBe(3);
  });

  it('updates the mechanism matrix cells from the new outcomes', () => {
    // The matrix of xvc's own single-mechanism readers: its records' targets are mechanism:<id>.
    const sample = sampleResults();
    const records = sample.records.map((record) => (record.mechanism !== undefined && record.suite === 'mechanisms' ? { ...record, target: `mechanism:${record.mechanism}` } : record));
    const results = { ...sample, records, metadata: { ...sample.metadata, recordsSha256: recordsSha256(records) } };
    const applied = applyExpectations(results, load('expectations:\n  - { target: "mechanism:dom0-default", requirement: XEN-INV-03, reason: known 2023 hang }\n'), '2026-11-24');
    expect(applied.mechanismMatrix?.cells.find((cell) => cell.property === 'no-self-grant')?.outcome).toBe('xfail');
    // The sample's earlier xfail is judged again from its original outcome, and no entry covers it now.
    expect(applied.mechanismMatrix?.cells.find((cell) => cell.property === 'trusted-source')?.outcome).toBe('fail');
  });
});

describe('expected failures in a frontend target\'s own matrix', () => {
  it('show as xfail there too, not only in the records', () => {
    const sample = sampleResults();
    const cellRecord = { ...sample.records.find((record) => record.outcome === 'fail')!, target: 'model:linux-2026', suite: 'frontend', requirement: 'XEN-INV-01' as const, mechanism: 'dt-iommus', property: 'trusted-source', id: 'frontend:matrix#XEN-INV-01' };
    const records = [...sample.records, cellRecord];
    const results: RunResults = { ...sample, records, metadata: { ...sample.metadata, recordsSha256: recordsSha256(records) }, mechanismMatrix: buildMechanismMatrix(records)! };
    const before = results.mechanismMatrix!.targets!.find((target) => target.target === 'model:linux-2026')!;
    expect(before.cells.find((cell) => cell.mechanism === 'dt-iommus')?.outcome).toBe('fail');
    const applied = applyExpectations(results, load('expectations:\n  - { target: "model:linux-2026", requirement: XEN-INV-01, mechanism: dt-iommus, reason: known }\n'), '2026-11-24');
    const after = applied.mechanismMatrix!.targets!.find((target) => target.target === 'model:linux-2026')!;
    expect(after.cells.find((cell) => cell.mechanism === 'dt-iommus')?.outcome).toBe('xfail');
    expect(validateResults(applied)).toEqual([]);
  });
});

describe('verdict', () => {
  it('is 0 when every failure is expected, 1 for an unexpected fail or an xpass, 3 for harness errors or a partial run', () => {
    const base = cleanRun();
    const allExpected = applyExpectations(
      base,
      load(`expectations:
  - { target: "*", requirement: PCI-DEV-02, reason: a }
  - { target: "*", requirement: PCI-DEV-09, reason: b }
  - { target: "*", requirement: XEN-INV-01, mechanism: "*", reason: c }
  - { target: "*", requirement: XEN-INV-03, mechanism: "*", reason: d }
`),
      '2026-11-24',
    );
    expect(allExpected.records.filter((record) => record.outcome === 'fail')).toEqual([]);
    expect(verdict(allExpected)).toBe(0);
    expect(verdict(base)).toBe(1);
    const xpass = applyExpectations(base, load('expectations:\n  - { target: reference, requirement: XEN-INV-06, mechanism: dt-iommus, reason: x }\n'), '2026-11-24');
    expect(verdict({ ...xpass, records: xpass.records.filter((record) => record.outcome !== 'fail') })).toBe(1);
    expect(verdict({ ...allExpected, runErrors: ['suites/x.suite.ts: SyntaxError'] })).toBe(3);
    expect(verdict({ ...allExpected, metadata: { ...allExpected.metadata, partial: true } })).toBe(3);
  });
});

describe('parseExpectations', () => {
  it("reads the sample of docs/ci.md, none of whose entries xvc's own spec catalogue has already expired", () => {
    const guide = readFileSync(packagePath('docs/ci.md'), 'utf8');
    const sample = /```yaml\n(# xvc-expect\.yaml[\s\S]*?)```/.exec(guide)?.[1];
    expect(sample, 'docs/ci.md has an xvc-expect.yaml sample').toBeDefined();
    const loaded = parseExpectations(sample!, 'docs/ci.md');
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    const families = (parseYaml(readFileSync(packagePath('spec/versions.yaml'), 'utf8')) as { families: Record<string, { versions: string[] }> }).families;
    const catalogue = Object.fromEntries(Object.entries(families).map(([family, entry]) => [family, entry.versions]));
    // Dates are the reader's to choose; a spec version the catalogue already has makes the example a dead entry.
    const versionExpiring = loaded.expectations.entries.filter((entry) => entry.expires?.kind === 'specVersion');
    expect(versionExpiring.length).toBeGreaterThan(0);
    expect(versionExpiring.filter((entry) => isExpired(entry, '2000-01-01', catalogue)).map((entry) => entry.requirement)).toEqual([]);
  });

  it('locates a schema violation at file:line:column', () => {
    const loaded = parseExpectations('expectations:\n  - target: reference\n    requirement: PCI-DEV-02\n    reson: typo\n', 'e.yaml');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems.some((problem) => problem.file === 'e.yaml' && problem.line === 4 && problem.column === 5 && problem.message.includes('reson'))).toBe(true);
  });

  it('rejects an unknown requirement id, an impossible date and a duplicate entry, each where it is written', () => {
    const loaded = parseExpectations(
      `expectations:
  - { target: reference, requirement: PCI-DEV-99, reason: typo }
  - { target: reference, requirement: PCI-DEV-02, reason: r, expires: 2026-02-30 }
  - { target: reference, requirement: PCI-DEV-02, reason: again }
`,
      'e.yaml',
    );
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const lines = loaded.problems.map((problem) => [problem.line, problem.code]);
    expect(lines).toContainEqual([2, 'XVC1012']);
    expect(lines).toContainEqual([3, 'XVC1002']);
    expect(lines).toContainEqual([4, 'XVC1003']);
  });

  it('reports YAML syntax errors with a position instead of throwing', () => {
    const loaded = parseExpectations('expectations:\n  - target: [unclosed\n', 'e.yaml');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems[0]?.line).toBeGreaterThan(0);
  });

  it('refuses a file whose aliases expand exponentially, located at the first alias, instead of throwing', () => {
    const lines = ['expectations: []', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 12; level++) lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    const loaded = parseExpectations(`${lines.join('\n')}\n`, 'bomb.yaml');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems).toEqual([expect.objectContaining({ code: 'XVC1016', file: 'bomb.yaml', line: 3, column: 10 })]);
  });

  it('refuses a directory or a FIFO given as the expectations file, naming it', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'xvc-expect-'));
    try {
      execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
      for (const file of [dir, join(dir, 'fifo.yaml')]) {
        const loaded = loadExpectations(file);
        expect(loaded.ok).toBe(false);
        if (!loaded.ok) expect(loaded.problems[0]).toMatchObject({ code: 'XVC1014', file, line: 1, column: 1 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('entryCovers', () => {
  it('matches target and requirement, and the mechanism only when the entry names one', () => {
    const own = { target: 'model:linux-*', requirement: 'XEN-INV-03' };
    const cell = { ...own, mechanism: 'dt-iommu*' };
    expect(entryCovers(own, { target: 'model:linux-6.5', requirement: 'XEN-INV-03' })).toBe(true);
    expect(entryCovers(own, { target: 'model:linux-6.5', requirement: 'XEN-INV-03', mechanism: 'dt-iommus' })).toBe(false);
    expect(entryCovers(cell, { target: 'model:linux-6.5', requirement: 'XEN-INV-03', mechanism: 'dt-iommus' })).toBe(true);
    expect(entryCovers(cell, { target: 'model:linux-6.5', requirement: 'XEN-INV-03' })).toBe(false);
    expect(entryCovers(cell, { target: 'model:linux-6.5', requirement: 'XEN-INV-03', mechanism: 'xenstore' })).toBe(false);
  });

  it('lets an entry without a mechanism cover the mechanism:* self-checks', () => {
    expect(entryCovers({ target: 'mechanism:*', requirement: 'XEN-INV-01' }, { target: 'mechanism:xenstore', requirement: 'XEN-INV-01', mechanism: 'xenstore' })).toBe(true);
  });

  it('reads a mechanism from the file and keeps two entries that differ only in it apart', () => {
    const loaded = parseExpectations(
      'expectations:\n  - { target: reference, requirement: XEN-INV-12, mechanism: boot-parameter, reason: a }\n  - { target: reference, requirement: XEN-INV-12, reason: b }\n',
      'm.yaml',
    );
    expect(loaded.ok && loaded.expectations.entries.map((entry) => entry.mechanism)).toEqual(['boot-parameter', undefined]);
  });
});
