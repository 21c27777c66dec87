import { describe, expect, it } from 'vitest';
import { viewFunction } from './function-view.ts';
import {
  checkDeviceId,
  checkHeaderType,
  checkModernDeviceIdRange,
  checkModernRevision,
  checkModernSubsystemId,
  checkTransitionalDeviceIdRange,
  checkTransitionalRevision,
  checkTransitionalSubsystemId,
  checkVendorId,
} from './identity-checks.ts';
import { buildConfig, modernHeader } from '../../../test-support/device-checks/test-configs.ts';
import type { CheckVerdict } from './verdict.ts';

function view(overrides: Parameters<typeof modernHeader>[0] = {}, claimedVirtio = false) {
  return viewFunction('00:03.0', buildConfig(modernHeader(overrides)), { claimedVirtio });
}

function evidenceOf(verdict: CheckVerdict) {
  expect(verdict.outcome).toBe('fail');
  if (verdict.outcome !== 'fail') throw new Error('unreachable');
  const [first] = verdict.evidence;
  if (first?.kind !== 'bytes') throw new Error('expected byte evidence');
  return { message: verdict.message, evidence: first };
}

describe('identity checks on a conforming modern function', () => {
  it('pass the modern rules and skip the transitional ones', () => {
    const v = view();
    for (const check of [checkHeaderType, checkVendorId, checkDeviceId, checkModernDeviceIdRange, checkModernRevision, checkModernSubsystemId]) expect(check(v).outcome).toBe('pass');
    for (const check of [checkTransitionalRevision, checkTransitionalSubsystemId, checkTransitionalDeviceIdRange]) expect(check(v).outcome).toBe('inapplicable');
  });
});

describe('identity checks on broken headers', () => {
  it('PCI-DEV-02: a claimed virtio function with another vendor fails at offset 0', () => {
    const { message, evidence } = evidenceOf(checkVendorId(view({ vendorId: 0x8086 }, true)));
    expect(message).toContain('0x8086');
    expect(evidence.highlight).toEqual([0, 1]);
    expect(evidence.bytes.slice(0, 4)).toBe('8680');
  });

  it('PCI-DEV-02: a dump function with another vendor is not virtio, so inapplicable', () => {
    expect(checkVendorId(view({ vendorId: 0x8086 })).outcome).toBe('inapplicable');
  });

  it('PCI-DEV-03: device ID 0x1040 (virtio ID 0) and 0x1006 (unassigned transitional) fail', () => {
    expect(evidenceOf(checkDeviceId(view({ deviceId: 0x1040 }))).evidence.highlight).toEqual([2, 3]);
    expect(evidenceOf(checkDeviceId(view({ deviceId: 0x1006 }))).message).toContain('0x1006');
  });

  it('PCI-DEV-05: a function with a transitional ID but no I/O BAR0 presents as non-transitional and fails', () => {
    expect(evidenceOf(checkModernDeviceIdRange(view({ deviceId: 0x1000 }))).evidence.actual).toBe('0x1000');
    expect(checkModernDeviceIdRange(view({ deviceId: 0x1000, bar0: 0x1, revisionId: 0 })).outcome).toBe('inapplicable');
  });

  it('a 0x1AF4 function whose device ID is outside 0x1000..0x107F is not virtio: every check is inapplicable with the reason, even when claimed', () => {
    for (const deviceId of [0x1234, 0x10f1, 0x0fff, 0x1080]) {
      for (const claimed of [false, true]) {
        const v = view({ deviceId }, claimed);
        for (const check of [checkHeaderType, checkVendorId, checkDeviceId, checkModernDeviceIdRange, checkModernRevision, checkModernSubsystemId, checkTransitionalRevision]) {
          const verdict = check(v);
          expect(verdict.outcome).toBe('inapplicable');
          if (verdict.outcome === 'inapplicable') expect(verdict.note).toContain(`device ID 0x${deviceId.toString(16)}, outside the virtio range 0x1000..0x107f`);
        }
      }
    }
  });

  it('PCI-DEV-06: revision 0 on a modern ID fails at 0x08', () => {
    expect(evidenceOf(checkModernRevision(view({ revisionId: 0 }))).evidence.highlight).toEqual([8]);
  });

  it('PCI-DEV-07: subsystem ID 0x3f fails at 0x2e', () => {
    const { evidence } = evidenceOf(checkModernSubsystemId(view({ subsystemId: 0x3f })));
    expect(evidence.highlight).toEqual([0x2e, 0x2f]);
    expect(evidence.offset).toBe(0x2c);
  });

  it('PCI-LEG-01/02: a transitional net with revision 1 and subsystem 0x40 fails both', () => {
    const v = view({ deviceId: 0x1000, revisionId: 1, subsystemId: 0x40 });
    expect(evidenceOf(checkTransitionalRevision(v)).evidence.highlight).toEqual([8]);
    expect(evidenceOf(checkTransitionalSubsystemId(v)).evidence.expected).toBe('0x1');
    expect(checkTransitionalRevision(view({ deviceId: 0x1000, revisionId: 0, subsystemId: 1 })).outcome).toBe('pass');
    expect(checkTransitionalSubsystemId(view({ deviceId: 0x1000, revisionId: 0, subsystemId: 1 })).outcome).toBe('pass');
  });

  it('PCI-LEG-03: the legacy signature (revision 0, I/O BAR0) with a modern ID fails', () => {
    expect(evidenceOf(checkTransitionalDeviceIdRange(view({ deviceId: 0x1041, revisionId: 0, bar0: 1 }))).evidence.actual).toBe('0x1041');
  });

  it('PCI-DEV-01: a type-1 header fails at 0x0e', () => {
    expect(evidenceOf(checkHeaderType(view({ headerLayout: 1 }))).evidence.highlight).toEqual([0x0e]);
  });

  it('a dump cut inside the header makes the later fields inapplicable', () => {
    const v = viewFunction('cut', buildConfig().subarray(0, 0x20), { truncated: true });
    expect(checkModernSubsystemId(v).outcome).toBe('inapplicable');
    expect(checkVendorId(v).outcome).toBe('pass');
  });
});
