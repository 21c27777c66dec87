import { describe, expect, it } from 'vitest';
import { checkInput, conformantLegacyTrace, conformantTrace, legacyOnlyDevice, modernDevice, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkAnyRevision, checkLegacyUsesBar0, checkMatchesModernId, checkMatchesTransitionalId, checkNonTransitionalRefuses, checkTransitionalFallback } from './binding-checks.ts';

describe('binding checks', () => {
  const untouched = (device = modernDevice()) => new TraceBuilder(device).config('read', 0, 4, 0x10411af4).build();

  it('pass a modern device taken, fail one never taken by a guest that loaded its drivers', () => {
    expect(checkMatchesModernId(checkInput(conformantTrace())).outcome).toBe('pass');
    expect(checkMatchesTransitionalId(checkInput(conformantTrace())).outcome).toBe('inapplicable');
    expect(checkMatchesModernId(checkInput(untouched()))).toMatchObject({ outcome: 'violation', at: [0] });
    expect(checkAnyRevision(checkInput(untouched())).outcome).toBe('violation');
    expect(checkMatchesModernId(checkInput(untouched(), { reachedInit: false })).outcome).toBe('inapplicable');
  });

  it('judge transitional IDs', () => {
    expect(checkMatchesTransitionalId(checkInput(conformantLegacyTrace())).outcome).toBe('pass');
    expect(checkMatchesTransitionalId(checkInput(untouched(legacyOnlyDevice()))).outcome).toBe('violation');
  });

  it('fail a modern structure access in a legacy initialisation', () => {
    expect(checkLegacyUsesBar0(checkInput(conformantLegacyTrace())).outcome).toBe('pass');
    expect(checkLegacyUsesBar0(checkInput(conformantTrace())).outcome).toBe('inapplicable');
    const b = new TraceBuilder(legacyOnlyDevice());
    b.legacy('write', 'deviceStatus', 0).legacy('write', 'deviceStatus', 1).common('read', 'numQueues', 1);
    expect(checkLegacyUsesBar0(checkInput(b.build())).outcome).toBe('violation');
  });

  it('judge a device without capabilities by what the driver is: a transitional one must use the legacy interface', () => {
    expect(checkTransitionalFallback(checkInput(conformantLegacyTrace())).outcome).toBe('pass');
    expect(checkTransitionalFallback(checkInput(untouched(legacyOnlyDevice()))).outcome).toBe('violation');
    expect(checkTransitionalFallback(checkInput(untouched(legacyOnlyDevice()), { driverTransitional: undefined })).outcome).toBe('inapplicable');
    expect(checkTransitionalFallback(checkInput(conformantTrace())).outcome).toBe('inapplicable');
  });

  it('judge a non-transitional driver: leaving the device alone passes, driving it or dying fails', () => {
    const modernOnly = { driverTransitional: false };
    expect(checkNonTransitionalRefuses(checkInput(untouched(legacyOnlyDevice()), modernOnly)).outcome).toBe('pass');
    expect(checkNonTransitionalRefuses(checkInput(conformantLegacyTrace(), modernOnly)).outcome).toBe('violation');
    expect(checkNonTransitionalRefuses(checkInput(untouched(legacyOnlyDevice()), { ...modernOnly, finished: false, ending: 'panic' }))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('panic') });
    expect(checkNonTransitionalRefuses(checkInput(untouched(legacyOnlyDevice()))).outcome).toBe('inapplicable');
  });
});
