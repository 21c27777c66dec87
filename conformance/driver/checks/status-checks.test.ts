import { describe, expect, it } from 'vitest';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { checkInput, conformantInit, conformantLegacyTrace, conformantTrace, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import {
  checkFeatureNegotiation,
  checkFeaturesOkRefused,
  checkFeaturesOkReread,
  checkNeverClearsBits,
  checkNoNotifyBeforeDriverOk,
  checkQueuesBeforeDriverOk,
  checkReachesDriverOk,
  checkResetAfterFailed,
  checkResetCompletes,
  checkResetFirst,
  checkStatusOrder,
} from './status-checks.ts';

const { ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, FAILED } = VirtioDeviceStatus;

/** A trace with the accesses of `trace` but one replaced or dropped. */
function edit(build: (b: TraceBuilder) => void): ReturnType<typeof checkInput> {
  const b = new TraceBuilder();
  build(b);
  return checkInput(b.build());
}

describe('status and initialisation checks', () => {
  const good = checkInput(conformantTrace());
  const legacy = checkInput(conformantLegacyTrace());

  it('pass a conformant modern and a conformant legacy initialisation', () => {
    for (const check of [checkResetFirst, checkStatusOrder, checkFeatureNegotiation, checkFeaturesOkReread, checkQueuesBeforeDriverOk, checkReachesDriverOk, checkNeverClearsBits, checkResetCompletes, checkNoNotifyBeforeDriverOk]) {
      expect(check(good).outcome, check.name).toBe('pass');
    }
    for (const check of [checkResetFirst, checkStatusOrder, checkFeatureNegotiation, checkReachesDriverOk, checkNeverClearsBits, checkNoNotifyBeforeDriverOk]) {
      expect(check(legacy).outcome, `${check.name} (legacy)`).toBe('pass');
    }
  });

  it('fail a driver whose first status write is not a reset', () => {
    const input = edit((b) => b.common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', 0));
    expect(checkResetFirst(input)).toMatchObject({ outcome: 'violation', at: [0] });
  });

  it('fail DRIVER_OK set together with FEATURES_OK (no re-read possible) and FEATURES_OK before DRIVER', () => {
    const together = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK));
    expect(checkStatusOrder(together)).toMatchObject({ outcome: 'violation', at: [3] });
    const early = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | FEATURES_OK));
    expect(checkStatusOrder(early).outcome).toBe('violation');
  });

  it('fail features accepted after FEATURES_OK, and features accepted before reading the offer', () => {
    const late = conformantInit(new TraceBuilder());
    late.common('write', 'driverFeatureSelect', 0).common('write', 'driverFeature', 0);
    expect(checkFeatureNegotiation(checkInput(late.build())).outcome).toBe('violation');
    const blind = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'driverFeature', 1).common('read', 'deviceFeature', 1));
    expect(checkFeatureNegotiation(blind)).toMatchObject({ outcome: 'violation', message: expect.stringContaining('before the device features were read') });
  });

  it('fail a device configuration write during feature negotiation', () => {
    const input = edit((b) => {
      b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER);
      b.common('read', 'deviceFeature', 1).deviceConfig('write', 0, 1, 7).common('write', 'driverFeature', 1).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK);
    });
    expect(checkFeatureNegotiation(input)).toMatchObject({ outcome: 'violation', at: [4] });
  });

  it('fail a driver that goes on without reading FEATURES_OK back', () => {
    const input = edit((b) => {
      b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER);
      b.common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK).common('write', 'queueSelect', 0).common('write', 'queueSize', 8);
    });
    expect(checkFeaturesOkReread(input)).toMatchObject({ outcome: 'violation', at: [3, 5] });
  });

  it('fail a queue enabled after DRIVER_OK', () => {
    const b = conformantInit(new TraceBuilder(), { queues: 1 });
    b.common('write', 'queueSelect', 1).common('write', 'queueEnable', 1);
    expect(checkQueuesBeforeDriverOk(checkInput(b.build())).outcome).toBe('violation');
  });

  it('fail a driver that took the device and stopped before DRIVER_OK, and not one that set FAILED', () => {
    const stuck = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER));
    expect(checkReachesDriverOk(stuck).outcome).toBe('violation');
    const gaveUp = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FAILED));
    expect(checkReachesDriverOk(gaveUp).outcome).toBe('inapplicable');
    expect(checkReachesDriverOk(checkInput(stuck.trace, { noDriver: true })).outcome).toBe('inapplicable');
  });

  it('fail a status bit cleared without a reset, but not FAILED written over a FEATURES_OK the device dropped', () => {
    const input = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', DRIVER));
    expect(checkNeverClearsBits(input)).toMatchObject({ outcome: 'violation', at: [1, 2] });
    const refused = edit((b) =>
      b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK).common('read', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FAILED),
    );
    expect(checkNeverClearsBits(refused).outcome).toBe('pass');
  });

  it('judge what follows FAILED: a reset passes, a new attempt without one fails', () => {
    expect(checkResetAfterFailed(good).outcome).toBe('inapplicable');
    const reset = edit((b) => b.common('write', 'deviceStatus', ACKNOWLEDGE | FAILED).common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE));
    expect(checkResetAfterFailed(reset).outcome).toBe('pass');
    const retry = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | FAILED).common('write', 'deviceStatus', ACKNOWLEDGE | FAILED | DRIVER));
    expect(checkResetAfterFailed(retry)).toMatchObject({ outcome: 'violation', at: [1, 2] });
  });

  it('fail a reset not waited for: no read back, or a read that was not 0', () => {
    const noRead = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE));
    expect(checkResetCompletes(noRead)).toMatchObject({ outcome: 'violation', at: [0, 1] });
    const busy = edit((b) => b.common('write', 'deviceStatus', 0).common('read', 'deviceStatus', ACKNOWLEDGE).common('write', 'deviceStatus', ACKNOWLEDGE));
    expect(checkResetCompletes(busy)).toMatchObject({ outcome: 'violation', at: [0, 1, 2] });
  });

  it('judge a FEATURES_OK the device refused: stopping passes, going on to DRIVER_OK fails', () => {
    expect(checkFeaturesOkRefused(good).outcome).toBe('inapplicable');
    const refused = (goOn: boolean) =>
      edit((b) => {
        b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK).common('read', 'deviceStatus', ACKNOWLEDGE | DRIVER);
        if (goOn) b.common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        else b.common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK | FAILED);
      });
    expect(checkFeaturesOkRefused(refused(false)).outcome).toBe('pass');
    expect(checkFeaturesOkRefused(refused(true)).outcome).toBe('violation');
  });

  it('fail a notification before DRIVER_OK', () => {
    const input = edit((b) => b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER).notify(0, 0).common('write', 'deviceStatus', ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK));
    expect(checkNoNotifyBeforeDriverOk(input)).toMatchObject({ outcome: 'violation', at: [2, 3] });
  });
});
