import { describe, expect, it } from 'vitest';
import { referenceDescriptions } from '../../targets/reference-device.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { liveRows, staticRows } from './check-table.ts';
import { deviceCases, verdictResult } from './device-cases.ts';

const rows = staticRows.length + liveRows.length;
const nonVirtioDump = new URL('../../fixtures/dumps/pciutils-tests/pciutils-tests_neg-8086-0d93-subsys1af4.txt', import.meta.url).pathname;

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
