import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.ts';
import { suiteNames } from '../../conformance/run-plan.ts';
import { isKnownRequirement } from '../../conformance/requirement-catalogue.ts';
import { declaredTests } from './declared-tests.ts';

describe('declaredTests', () => {
  it('lists the tests of every suite, the driver suite included without booting a guest, each with catalogued ids', async () => {
    const { tests, errors } = await declaredTests(packageRoot);
    expect(errors).toEqual([]);
    const suites = new Set(tests.map((test) => test.name.slice(0, test.name.indexOf(' > '))));
    expect(suites).toEqual(new Set(suiteNames));
    for (const test of tests) {
      expect(test.requirements.length, test.name).toBeGreaterThan(0);
      for (const id of test.requirements) expect(isKnownRequirement(id), `${test.name}: ${id}`).toBe(true);
    }
    expect(tests.filter((test) => test.name.startsWith('driver > ')).every((test) => test.name.includes('guest:virtio-net-pci'))).toBe(true);
  });
});
