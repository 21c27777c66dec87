import { describe, expect, it } from 'vitest';
import { VirtioFeaturesBits } from '../../../generated/ts/virtio/virtio-core.ts';
import { checkInput, conformantInit, conformantLegacyTrace, conformantTrace, OFFERED_HIGH, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkNotificationAddress, checkNotificationValue, checkNotificationWidth } from './notify-checks.ts';

const HIGH = (bit: number): number => 1 << (bit - 32);

describe('notification checks', () => {
  it('pass the notifications of a conformant trace (queue q at q × multiplier 4)', () => {
    const input = checkInput(conformantTrace());
    expect(checkNotificationWidth(input).outcome).toBe('pass');
    expect(checkNotificationValue(input).outcome).toBe('pass');
    expect(checkNotificationAddress(input).outcome).toBe('pass');
    expect(checkNotificationWidth(checkInput(conformantLegacyTrace())).outcome).toBe('pass');
    expect(checkNotificationAddress(checkInput(conformantLegacyTrace())).outcome).toBe('inapplicable');
  });

  it('fail a 32-bit notification without NOTIFICATION_DATA, and pass it with', () => {
    const wide = (data: boolean) => {
      const offered = data ? OFFERED_HIGH | HIGH(VirtioFeaturesBits.NOTIFICATION_DATA) : OFFERED_HIGH;
      const b = conformantInit(new TraceBuilder(), { queues: 1, offeredHigh: offered });
      b.notify(0, 0x8000_0000, 4);
      return checkInput(b.build());
    };
    expect(checkNotificationWidth(wide(false)).outcome).toBe('violation');
    const withData = checkNotificationWidth(wide(true));
    // The conformant init's own 16-bit notification is now the wrong width.
    expect(withData.outcome).toBe('violation');
    expect(checkNotificationValue(wide(true)).outcome).toBe('pass');
  });

  it('fail a notification naming no enabled queue', () => {
    const b = conformantInit(new TraceBuilder(), { queues: 1 });
    b.notify(0, 7);
    expect(checkNotificationValue(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('value 7') });
  });

  it('fail a queue notified away from queue_notify_off × notify_off_multiplier', () => {
    const b = conformantInit(new TraceBuilder(), { queues: 2 });
    b.notify(0, 1);
    const finding = checkNotificationAddress(checkInput(b.build()));
    expect(finding).toMatchObject({ outcome: 'violation', message: expect.stringContaining('queue_notify_off 1 × notify_off_multiplier 4 is 0x4') });
  });
});
