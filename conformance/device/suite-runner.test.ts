import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { TargetError } from '../../targets/device-target.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { fail, inapplicable, pass } from './checks/verdict.ts';
import { judge, openSuiteTarget } from './suite-runner.ts';

function fakeContext(): TestContext {
  return { task: { meta: {} } } as unknown as TestContext;
}

describe('judge', () => {
  it('records target and suite on a pass, with its note', async () => {
    const context = fakeContext();
    await judge(context, 'reference', () => pass('looked at 3 queues'));
    expect(context.task.meta).toEqual({ target: 'reference', suite: 'device', note: 'looked at 3 queues' });
  });

  it('marks an inapplicable verdict without failing', async () => {
    const context = fakeContext();
    await judge(context, 'dump:x', () => inapplicable('read-only'));
    expect(context.task.meta).toMatchObject({ outcome: 'inapplicable', note: 'read-only' });
  });

  it('fails with the message and leaves the evidence on the task', async () => {
    const context = fakeContext();
    const evidence = { kind: 'text' as const, text: 'bytes' };
    await expect(judge(context, 'reference', () => fail('offset 0x40 is wrong', evidence))).rejects.toThrow('offset 0x40 is wrong');
    expect(context.task.meta.evidence).toEqual([evidence]);
    expect(context.task.meta.outcome).toBeUndefined();
  });

  it('turns a TargetError into outcome error with harness evidence', async () => {
    const context = fakeContext();
    const error = new TargetError('target-crashed', 'qemu died', { stderr: 'abort' });
    await expect(judge(context, 'qemu:x', () => Promise.reject(error))).rejects.toBe(error);
    expect(context.task.meta).toMatchObject({ outcome: 'error', note: 'qemu died', evidence: [{ kind: 'harness', code: 'target-crashed', stderr: 'abort' }] });
  });
});

describe('openSuiteTarget', () => {
  it('prepares every reference function with live access and exhaustive queue sweeps', async () => {
    const target = await openSuiteTarget(parseTargetSpec('reference'));
    expect(target.error).toBeUndefined();
    expect(target.functions.length).toBeGreaterThan(0);
    for (const { input } of target.functions) {
      expect(typeof input.common).not.toBe('string');
      expect(input.exhaustiveQueues).toBe(true);
      expect(input.deviceSide).toBeDefined();
    }
  });

  it('keeps a target that cannot be opened as an error instead of throwing', async () => {
    const target = await openSuiteTarget(parseTargetSpec('dump:/nonexistent/xvc-device-suite-test'));
    expect(target.error).toBeInstanceOf(TargetError);
    expect((target.error as TargetError).code).toBe('target-input');
  });

  it('separates the non-virtio functions of a dump', async () => {
    const target = await openSuiteTarget(parseTargetSpec(`dump:${import.meta.dirname}/../../fixtures/dumps/pciutils-tests/pciutils-tests_neg-8086-0d93-subsys1af4.txt`));
    expect(target.functions).toEqual([]);
    expect(target.otherFunctions.length).toBe(1);
  });
});
