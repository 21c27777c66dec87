import { describe, expect, it } from 'vitest';
import { VirtioFeaturesBits } from '../../../generated/ts/virtio/virtio-core.ts';
import { checkInput, conformantLegacyTrace, conformantTrace, OFFERED_HIGH, OFFERED_LOW } from '../../../test-support/driver-trace-builder.ts';
import { checkAcceptsAccessPlatform, checkAcceptsVersion1, checkNoReservedAccepted, checkOnlyOfferedAccepted, reservedBitReason } from './feature-checks.ts';

const HIGH = (bit: number): number => 1 << (bit - 32);

describe('feature checks', () => {
  it('pass a driver that accepts what is offered, VERSION_1 included', () => {
    const input = checkInput(conformantTrace());
    expect(checkOnlyOfferedAccepted(input).outcome).toBe('pass');
    expect(checkNoReservedAccepted(input).outcome).toBe('pass');
    expect(checkAcceptsVersion1(input).outcome).toBe('pass');
    expect(checkAcceptsAccessPlatform(input).outcome).toBe('inapplicable');
    expect(checkOnlyOfferedAccepted(checkInput(conformantLegacyTrace())).outcome).toBe('pass');
  });

  it('fail a bit accepted that the device did not offer, naming the bit', () => {
    const input = checkInput(conformantTrace({ acceptedHigh: OFFERED_HIGH | HIGH(VirtioFeaturesBits.RING_PACKED) }));
    expect(checkOnlyOfferedAccepted(input)).toMatchObject({ outcome: 'violation', message: expect.stringContaining('bit(s) 34') });
  });

  it('fail a reserved or undefined bit accepted, and know which bits those are', () => {
    expect(reservedBitReason(VirtioFeaturesBits.VERSION_1)).toBeUndefined();
    expect(reservedBitReason(45)).toContain('reserved for future');
    expect(reservedBitReason(130)).toContain('128 and up');
    expect(reservedBitReason(31)).toContain('defined by no version');
    expect(reservedBitReason(VirtioFeaturesBits.UNUSED_30)).toContain('unused');
    expect(reservedBitReason(5)).toBeUndefined();
    const input = checkInput(conformantTrace({ offeredHigh: OFFERED_HIGH | HIGH(45), acceptedHigh: OFFERED_HIGH | HIGH(45) }));
    expect(checkNoReservedAccepted(input).outcome).toBe('violation');
    expect(checkOnlyOfferedAccepted(input).outcome).toBe('pass');
  });

  it('fail VERSION_1 offered and not accepted', () => {
    const input = checkInput(conformantTrace({ acceptedHigh: 0 }));
    expect(checkAcceptsVersion1(input)).toMatchObject({ outcome: 'violation', message: expect.stringContaining('VERSION_1') });
  });

  it('judge ACCESS_PLATFORM only where offered', () => {
    const offered = OFFERED_HIGH | HIGH(VirtioFeaturesBits.ACCESS_PLATFORM);
    expect(checkAcceptsAccessPlatform(checkInput(conformantTrace({ offeredHigh: offered }))).outcome).toBe('pass');
    expect(checkAcceptsAccessPlatform(checkInput(conformantTrace({ offeredHigh: offered, acceptedHigh: OFFERED_HIGH }))).outcome).toBe('violation');
  });

  it('leaves window 0 alone in a legacy trace (the legacy header shows bits 0 to 31 only)', () => {
    expect(OFFERED_LOW >>> 0).toBe(OFFERED_LOW);
    expect(checkAcceptsVersion1(checkInput(conformantLegacyTrace())).outcome).toBe('inapplicable');
  });
});
