import { describe, expect, it } from 'vitest';
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
});
