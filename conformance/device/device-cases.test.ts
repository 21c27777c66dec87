import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceDescriptions } from '../../targets/reference-device.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { liveRows, staticRows } from './check-table.ts';
import { deviceCases, verdictResult } from './device-cases.ts';

const rows = staticRows.length + liveRows.length;
const nonVirtioDump = new URL('../../fixtures/dumps/pciutils-tests/pciutils-tests_neg-8086-0d93-subsys1af4.txt', import.meta.url).pathname;
const netModern = new URL('../../fixtures/dumps/qemu-7.2/net-modern.cfg256.bin', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'xvc-device-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('deviceCases', () => {
  it('makes one case per function of the reference device and per check row, grouped by target and function', async () => {
    const suite = await deviceCases([parseTargetSpec('reference')]);
    try {
      const ids = referenceDescriptions().map((entry) => entry.id);
      expect(suite.cases).toHaveLength(ids.length * rows);
      expect(new Set(suite.cases.map((testCase) => testCase.groups[1]))).toEqual(new Set(ids));
      for (const testCase of suite.cases) expect(testCase).toMatchObject({ suite: 'device', target: 'reference', groups: ['reference', expect.any(String)] });
      // Within a function, every row has its own name.
      const net = suite.cases.filter((testCase) => testCase.groups[1] === 'net');
      expect(new Set(net.map((testCase) => testCase.name)).size).toBe(rows);
      // The reference device conforms; its results carry what the target said about itself.
      const result = await net[0]!.run();
      expect(result.outcome).toBe('pass');
      expect(result.targetMetadata).toMatchObject({ kind: 'reference', role: 'device' });
    } finally {
      await suite.close();
      await suite.close();
    }
  });

  it('makes every case of a function that is not virtio inapplicable, saying which and why', async () => {
    const suite = await deviceCases([parseTargetSpec(`dump:${nonVirtioDump}`)]);
    try {
      expect(suite.cases).toHaveLength(rows);
      const result = await suite.cases[0]!.run();
      expect(result).toMatchObject({ outcome: 'inapplicable', note: expect.stringMatching(/^not virtio functions: 0000:df:00\.0 \(not a virtio function \(vendor 0x8086/) });
      expect(suite.cases[0]!.groups[1]).toBe('non-virtio functions (1)');
    } finally {
      await suite.close();
    }
  });

  it('judges a whole dump beside one cut short, and gives no verdict of pass or inapplicable on the cut one: its cases name the reader problem', async () => {
    const full = readFileSync(netModern);
    writeFileSync(join(scratch, 'a-good.bin'), full);
    writeFileSync(join(scratch, 'b-cut.bin'), full.subarray(0, 65));
    const suite = await deviceCases([parseTargetSpec(`dump:${scratch}`)]);
    try {
      expect(suite.cases).toHaveLength(2 * rows);
      const resultsOf = async (id: string) => Promise.all(suite.cases.filter((testCase) => testCase.groups[1] === id).map((testCase) => testCase.run()));
      // The whole file is judged as it is on its own.
      const good = await resultsOf('a-good.bin');
      const alone = await deviceCases([parseTargetSpec(`dump:${netModern}`)]);
      try {
        const outcomes = (results: { outcome: string }[]) => results.map((result) => result.outcome);
        expect(outcomes(good)).toEqual(outcomes(await Promise.all(alone.cases.map((testCase) => testCase.run()))));
      } finally {
        await alone.close();
      }
      expect(good.filter((result) => result.outcome === 'pass').length).toBeGreaterThan(0);
      expect(good.filter((result) => result.outcome === 'error')).toEqual([]);
      const cut = await resultsOf('b-cut.bin');
      expect(cut).toHaveLength(rows);
      expect(cut.filter((result) => result.outcome !== 'error' && result.outcome !== 'fail')).toEqual([]);
      for (const result of cut) {
        expect(result.outcome === 'error' || result.outcome === 'fail' ? result.message : '').toMatch(/b-cut\.bin:0:0: warning: device b-cut\.bin: .*offset 0x41/);
        expect(result.outcome === 'error' || result.outcome === 'fail' ? result.evidence : []).toContainEqual({ kind: 'harness', code: 'XVC3108' });
      }
    } finally {
      await suite.close();
    }
  });

  it('turns a target that cannot be opened into a harness error for every row, not a missing suite', async () => {
    const suite = await deviceCases([parseTargetSpec('exec:/nonexistent/xvc-device-adapter')]);
    try {
      expect(suite.cases).toHaveLength(rows);
      const results = await Promise.all(suite.cases.slice(0, 3).map((testCase) => testCase.run()));
      for (const result of results) expect(result).toMatchObject({ outcome: 'error', message: expect.stringContaining('/nonexistent/xvc-device-adapter') });
    } finally {
      await suite.close();
    }
  });
});

describe('verdictResult', () => {
  it('keeps the note of a pass or inapplicable verdict, and the message, evidence, condition and statement of a violation', () => {
    expect(verdictResult({ outcome: 'pass' })).toEqual({ outcome: 'pass' });
    expect(verdictResult({ outcome: 'pass', note: 'n' })).toEqual({ outcome: 'pass', note: 'n' });
    expect(verdictResult({ outcome: 'inapplicable', note: 'not transitional' })).toEqual({ outcome: 'inapplicable', note: 'not transitional' });
    const violations = [{ code: 'legacy-bar0-empty' as const }] as const;
    expect(verdictResult({ outcome: 'warning', violations, message: 'm', evidence: [], condition: 'c', requirement: 'PCI-DEV-02' })).toEqual({ outcome: 'warning', message: 'm', evidence: [], condition: 'c', requirement: 'PCI-DEV-02' });
    expect(verdictResult({ outcome: 'fail', violations, message: 'm', evidence: [] })).toEqual({ outcome: 'fail', message: 'm', evidence: [] });
  });
});
