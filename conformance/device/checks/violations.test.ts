import { describe, expect, it } from 'vitest';
import { violationMessage, type DeviceViolation, type DeviceViolationCode } from './violations.ts';

const f = (name: string, bit: number) => ({ name, bit });

/** One violation of every code (the type makes the table complete), with values no two share. */
const samples: { [C in DeviceViolationCode]: Extract<DeviceViolation, { code: C }> } = {
  'header-type': { code: 'header-type', at: 0x0e, actual: 1, expected: 0 },
  'vendor-id': { code: 'vendor-id', at: 0x00, actual: 0x8086, expected: 0x1af4 },
  'device-id': { code: 'device-id', at: 0x02, actual: 0x1234, modernMin: 0x1041, modernMax: 0x107f },
  'modern-device-id-range': { code: 'modern-device-id-range', at: 0x02, actual: 0x1003, min: 0x1040, max: 0x107f },
  'modern-revision': { code: 'modern-revision', at: 0x08, actual: 0, min: 1 },
  'modern-subsystem-id': { code: 'modern-subsystem-id', at: 0x2e, actual: 0x3f, min: 0x40 },
  'transitional-revision': { code: 'transitional-revision', at: 0x08, actual: 3, expected: 0 },
  'transitional-subsystem-id': { code: 'transitional-subsystem-id', at: 0x2e, actual: 0x7, expected: 2 },
  'transitional-device-id-range': { code: 'transitional-device-id-range', at: 0x02, actual: 0x1045, min: 0x1000, max: 0x103f, legacySignature: true },
  'capability-list-absent': { code: 'capability-list-absent', statusAt: 0x06, status: 0x0 },
  'capability-list-malformed': { code: 'capability-list-malformed', issues: [{ code: 'loop', offset: 0x50, message: 'points back to 0x40' }] },
  'cap-len-short': { code: 'cap-len-short', capability: 0x40, structure: 'COMMON_CFG', capLen: 12, minimum: 16 },
  'capability-missing': { code: 'capability-missing', structure: 'NOTIFY_CFG', found: ['COMMON_CFG'], ignored: ['cfg_type 99'] },
  'offset-unaligned': { code: 'offset-unaligned', capability: 0x4c, structure: 'ISR_CFG', offset: 0x1003, alignment: 4 },
  'common-length-short': { code: 'common-length-short', capability: 0x58, length: 40, minimum: 56, covers: 'up to queue_device' },
  'notify-multiplier': { code: 'notify-multiplier', capability: 0x64, multiplier: 6, notificationData: true },
  'notify-length-short': { code: 'notify-length-short', capability: 0x70, length: 1, minimum: 2 },
  'shared-memory-id-duplicate': { code: 'shared-memory-id-duplicate', first: 0x80, second: 0x98, id: 5 },
  'vendor-data-vendor-id': { code: 'vendor-data-vendor-id', capability: 0xa4, vendorId: 0x1af4 },
  'vendor-data-size': { code: 'vendor-data-size', capability: 0xb0, capLen: 17, multiple: 4 },
  'msix-table-size': { code: 'msix-table-size', capability: 0xbc, vectors: 4096, min: 1, max: 0x7ff },
  'legacy-bar0-not-io': { code: 'legacy-bar0-not-io', bar0: 0xfe00_0000 },
  'legacy-bar0-empty': { code: 'legacy-bar0-empty' },
  'bar-upper-half': { code: 'bar-upper-half', capability: 0xc8, bar: 5 },
  'bar-unimplemented': { code: 'bar-unimplemented', capability: 0xd4, bar: 3 },
  'structure-past-bar': { code: 'structure-past-bar', capability: 0xe0, bar: 2, start: '0x3f00', end: '0x4100', size: 0x4000 },
  'reset-incomplete': { code: 'reset-incomplete', status: 0x0f, polls: 1000 },
  'queue-enable-after-reset': { code: 'queue-enable-after-reset', queue: 7, value: 1, wasEnabled: true },
  'queue-size-unavailable': { code: 'queue-size-unavailable', select: 9, queues: 3, size: 256, selectReadBack: 0, previous: 2 },
  'queue-size-not-power-of-two': { code: 'queue-size-not-power-of-two', queue: 11, size: 300 },
  'notify-out-of-bounds': { code: 'notify-out-of-bounds', queue: 12, notifyOff: 5, multiplier: 4, width: 2, length: 16, capability: 0xec },
  'half-write-disturbs': { code: 'half-write-disturbs', queue: 13, half: 'low', value: 0xdead0000, high: 0x1, low: 0xdead0000 },
  'queue-reset-after-reset': { code: 'queue-reset-after-reset', queue: 14, value: 1 },
  'queue-reset-after-enable': { code: 'queue-reset-after-enable', queue: 15, value: 1 },
  'queue-reset-incomplete': { code: 'queue-reset-incomplete', queue: 16, polls: 999 },
  'queue-enable-after-queue-reset': { code: 'queue-enable-after-queue-reset', queue: 17, value: 1 },
  'admin-queue-index': { code: 'admin-queue-index', index: 2, queues: 18 },
  'admin-queue-count': { code: 'admin-queue-count', index: 19, count: 0xfff0, limit: 0xffff },
  'feature-window-unstable': { code: 'feature-window-unstable', select: 1, first: 0x3, second: 0x7, before: 0 },
  'driver-feature-missing': { code: 'driver-feature-missing', written: '0x300000020', readBack: '0x100000020', missing: '0x200000000' },
  'features-ok-refused': { code: 'features-ok-refused', features: '0x100000000', status: 0x3 },
  'features-ok-unoffered': { code: 'features-ok-unoffered', bit: 41, status: 0xb },
  'renegotiation-refused': { code: 'renegotiation-refused', features: '0x100000001', status: 0x43 },
  'reserved-features-offered': { code: 'reserved-features-offered', bits: [44, 45], judgedVersion: '1.3' },
  'feature-missing': { code: 'feature-missing', feature: f('ACCESS_PLATFORM', 33), offered: '0x100000000', why: 'the device is used with grants' },
  'feature-offered': { code: 'feature-offered', feature: f('RING_PACKED', 34), offered: '0x500000000', why: 'a Linux 6.1 driver cannot use it' },
  'features-together': { code: 'features-together', first: f('EVENT_IDX', 29), second: f('NOTIF_CONFIG_DATA', 39), offered: '0x8020000000' },
  'vector-after-reset': { code: 'vector-after-reset', field: 'queue_msix_vector', queue: 21, value: 0x2, expected: 0xffff },
  'vector-readback': { code: 'vector-readback', event: 'queue 22', field: 'queue_msix_vector', vector: 0x3, readBack: 0xfffe, tableSize: 4 },
  'vector-refusal': { code: 'vector-refusal', vector: 0x23, readBack: 0x23, tableSize: 24, expected: 0xffff },
  'isr-queue-bit': { code: 'isr-queue-bit', bar: 4, at: 0x1000, value: 0x2 },
  'isr-not-cleared': { code: 'isr-not-cleared', bar: 4, at: 0x1004, first: 0x1, second: 0x3 },
  'config-generation-stuck': { code: 'config-generation-stuck', generation: 25 },
  'device-config-read-breaks': { code: 'device-config-read-breaks', length: 26, status: 0x43, expected: 0x3 },
  'vendor-data-read-side-effect': { code: 'vendor-data-read-side-effect', where: 'the ISR', before: 0x0, after: 0x27 },
  'window-bar-readback': { code: 'window-bar-readback', capability: 0xf8, written: 4, readBack: 28 },
  'window-read-mismatch': { code: 'window-read-mismatch', bar: 4, width: 2, offset: 0x2012, dataAt: 0xfc, through: 0x29, direct: 0x2a, structure: 'device configuration' },
  'window-write-lost': { code: 'window-write-lost', bar: 4, width: 4, offset: 0x2014, field: 'queue_select', value: 0x2b, readBack: 0x0 },
  'window-write-misrouted': { code: 'window-write-misrouted', bar: 2, width: 1, offset: 0x2018, structure: 'common configuration', value: 0x2b5, landed: 'BAR4 byte 0x18', before: 0x2c, after: 0x2d },
  'legacy-config-offset': { code: 'legacy-config-offset', msix: true, legacyStart: 24, byte: 3, legacy: 0x2e, modern: 0x2f },
  'legacy-access-width': { code: 'legacy-access-width', at: 0x14, dword: 0x30, words: 0x31, bytes: 0x32 },
  'legacy-not-quiet': { code: 'legacy-not-quiet', bar: 0, at: 0x12, value: 0x33 },
  'legacy-writes-honoured': { code: 'legacy-writes-honoured', value: 34 },
  'page-size-mask-zero': { code: 'page-size-mask-zero', bar: 2, at: 0x2035 },
  'bypass-range': { code: 'bypass-range', bar: 2, at: 0x2036, value: 37 },
  'bypass-reset': { code: 'bypass-reset', bar: 2, at: 0x2038, before: 1, after: 0 },
};

const hex = (value: number): string => `0x${value.toString(16)}`;

describe('violationMessage', () => {
  it('renders every code as a sentence of its own, mentioning where it is (offset or capability) and the value seen', () => {
    const messages = new Map<string, string>();
    for (const violation of Object.values(samples) as DeviceViolation[]) {
      const message = violationMessage(violation);
      expect(message.length, violation.code).toBeGreaterThan(20);
      expect(message, violation.code).not.toMatch(/undefined|NaN|\[object/);
      for (const key of ['at', 'capability', 'statusAt'] as const) {
        const value = (violation as Record<string, unknown>)[key];
        if (typeof value === 'number') expect(message, `${violation.code}.${key}`).toContain(hex(value));
      }
      messages.set(violation.code, message);
    }
    expect(new Set(messages.values()).size).toBe(messages.size);
  });

  it('says what was found and what the statement wants, in the units the spec uses', () => {
    expect(violationMessage(samples['vendor-id'])).toBe('vendor ID at 0x0 is 0x8086, not 0x1af4');
    expect(violationMessage(samples['cap-len-short'])).toBe('COMMON_CFG capability at 0x40 has cap_len 12, less than the 16 bytes of its structure');
    expect(violationMessage(samples['notify-out-of-bounds'])).toBe('queue 12: queue_notify_off 5 x notify_off_multiplier 4 + 2 = 22 exceeds the notify length 16 (capability at 0xec)');
    expect(violationMessage(samples['feature-missing'])).toBe('device offers 0x100000000 without ACCESS_PLATFORM (bit 33): the device is used with grants');
    expect(violationMessage(samples['bar-upper-half'])).toBe('capability at 0xc8 names BAR5, the upper half of the 64-bit BAR4');
  });

  it('adds what is only sometimes known, and only then', () => {
    const { previous: _previous, ...noPrevious } = samples['queue-size-unavailable'];
    expect(violationMessage(samples['queue-size-unavailable'])).toContain('(queue 2 was selected before)');
    expect(violationMessage(samples['queue-size-unavailable'])).toContain('queue_select reads back 0x0: the device dropped the select');
    expect(violationMessage({ ...noPrevious, selectReadBack: 9 })).toBe('queue_select 0x9 (num_queues 3) reads queue_size 256, not 0');
    expect(violationMessage({ code: 'capability-missing', structure: 'COMMON_CFG', found: [], ignored: [] })).toBe('no usable COMMON_CFG capability in the capability list (found: no virtio capabilities)');
    expect(violationMessage({ code: 'notify-multiplier', capability: 0x64, multiplier: 6, notificationData: false })).toContain('is not 0 or a power of two');
    expect(violationMessage({ code: 'vector-after-reset', field: 'config_msix_vector', value: 2, expected: 0xffff })).toBe('config_msix_vector reads 0x2 after reset, not NO_VECTOR (0xffff)');
  });
});
