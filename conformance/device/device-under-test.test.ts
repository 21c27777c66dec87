import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../targets/device-target.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { openDeviceUnderTest } from './device-under-test.ts';

describe('openDeviceUnderTest', () => {
  it('prepares every reference function with live access and exhaustive queue sweeps', async () => {
    const target = await openDeviceUnderTest(parseTargetSpec('reference'));
    expect(target.error).toBeUndefined();
    expect(target.functions.length).toBeGreaterThan(0);
    for (const { input } of target.functions) {
      expect(typeof input.common).not.toBe('string');
      expect(input.exhaustiveQueues).toBe(true);
      expect(input.deviceSide).toBeDefined();
    }
  });

  it('keeps a target that cannot be opened as an error instead of throwing', async () => {
    const target = await openDeviceUnderTest(parseTargetSpec('dump:/nonexistent/xvc-device-suite-test'));
    expect(target.error).toBeInstanceOf(TargetError);
    expect((target.error as TargetError).diagnostic).toBe('targetInput');
  });

  it('separates the non-virtio functions of a dump', async () => {
    const target = await openDeviceUnderTest(parseTargetSpec(`dump:${import.meta.dirname}/../../fixtures/dumps/pciutils-tests/pciutils-tests_neg-8086-0d93-subsys1af4.txt`));
    expect(target.functions).toEqual([]);
    expect(target.otherFunctions.length).toBe(1);
  });

  it('keeps the reader problems of each function; one that is not virtio by IDs that are there loses no verdict to the bytes missing after them', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'xvc-device-under-test-'));
    try {
      const intel = new Uint8Array(100);
      intel.set([0x86, 0x80, 0x57, 0x0d]);
      writeFileSync(join(scratch, 'a-intel.bin'), intel);
      const virtio = new Uint8Array(100);
      virtio.set([0xf4, 0x1a, 0x41, 0x10]);
      writeFileSync(join(scratch, 'b-virtio.bin'), virtio);
      const target = await openDeviceUnderTest(parseTargetSpec(`dump:${scratch}`));
      expect(target.otherFunctions.map(({ fn, readProblems }) => [fn.id, readProblems.map((problem) => [problem.code, problem.bytesMissing])])).toEqual([['a-intel.bin', [['XVC3108', false]]]]);
      expect(target.functions.map(({ fn, readProblems }) => [fn.id, readProblems.map((problem) => [problem.code, problem.bytesMissing])])).toEqual([['b-virtio.bin', [['XVC3108', true]]]]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
