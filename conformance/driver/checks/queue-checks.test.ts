import { describe, expect, it } from 'vitest';
import { VirtioFeaturesBits } from '../../../generated/ts/virtio/virtio-core.ts';
import { checkInput, conformantInit, conformantTrace, OFFERED_HIGH, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkAdminQueueIndices, checkNoQueueDisable, checkQueueConfiguredBeforeEnable, checkQueueResetWaited, checkQueueSizeWrites, checkReadOnlyCommonFields } from './queue-checks.ts';

const HIGH = (bit: number): number => 1 << (bit - 32);

describe('queue checks', () => {
  const good = checkInput(conformantTrace());

  it('pass a conformant queue setup', () => {
    expect(checkReadOnlyCommonFields(good).outcome).toBe('pass');
    expect(checkQueueSizeWrites(good).outcome).toBe('pass');
    expect(checkQueueConfiguredBeforeEnable(good).outcome).toBe('pass');
    expect(checkNoQueueDisable(good).outcome).toBe('pass');
    expect(checkQueueResetWaited(good).outcome).toBe('inapplicable');
    expect(checkAdminQueueIndices(good).outcome).toBe('inapplicable');
  });

  it('fail a write to a read-only field', () => {
    const b = conformantInit(new TraceBuilder());
    b.common('write', 'queueNotifyOff', 3);
    expect(checkReadOnlyCommonFields(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('queue_notify_off') });
  });

  it('fail a queue size that is no power of two for a split ring, and 0 for a packed one', () => {
    expect(checkQueueSizeWrites(checkInput(conformantTrace({ queueSize: 200 }))).outcome).toBe('violation');
    const packed = OFFERED_HIGH | HIGH(VirtioFeaturesBits.RING_PACKED);
    expect(checkQueueSizeWrites(checkInput(conformantTrace({ queueSize: 200, offeredHigh: packed }))).outcome).toBe('pass');
    expect(checkQueueSizeWrites(checkInput(conformantTrace({ queueSize: 0, offeredHigh: packed }))).outcome).toBe('violation');
  });

  it('fail a queue enabled before its addresses were written', () => {
    const b = new TraceBuilder();
    b.common('write', 'queueSelect', 0).common('write', 'queueDesc', 0x1000).common('write', 'queueDesc', 0, { half: 1 }).common('write', 'queueEnable', 1);
    expect(checkQueueConfiguredBeforeEnable(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('queue_driver[31:0]') });
  });

  it('fail a 0 written to queue_enable', () => {
    const b = conformantInit(new TraceBuilder());
    b.common('write', 'queueSelect', 0).common('write', 'queueEnable', 0);
    expect(checkNoQueueDisable(checkInput(b.build())).outcome).toBe('violation');
  });

  it('judge a queue reset: reuse after reading 0 passes, reuse before fails', () => {
    const reset = (waits: boolean) => {
      const b = conformantInit(new TraceBuilder(), { queues: 1 });
      b.common('write', 'queueSelect', 0).common('write', 'queueReset', 1);
      if (waits) b.common('read', 'queueReset', 0);
      b.common('write', 'queueEnable', 1);
      return checkInput(b.build());
    };
    expect(checkQueueResetWaited(reset(true)).outcome).toBe('pass');
    expect(checkQueueResetWaited(reset(false)).outcome).toBe('violation');
  });

  it('judge admin queues past num_queues against the advertised range', () => {
    const admin = OFFERED_HIGH | HIGH(VirtioFeaturesBits.ADMIN_VQ);
    const trace = (index: number) => {
      const b = conformantInit(new TraceBuilder(), { queues: 1, offeredHigh: admin });
      b.common('read', 'adminQueueIndex', 1).common('read', 'adminQueueNum', 1);
      b.common('write', 'queueSelect', index).common('write', 'queueSize', 8);
      return checkInput(b.build());
    };
    expect(checkAdminQueueIndices(trace(1)).outcome).toBe('pass');
    expect(checkAdminQueueIndices(trace(5)).outcome).toBe('violation');
  });
});
