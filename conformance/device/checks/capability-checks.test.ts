import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { parseLspciText } from '../../../targets/dump.ts';
import {
  checkCapabilityList,
  checkCapLen,
  checkCommonLength,
  checkLegacyIoBar0,
  checkMsixTableSize,
  checkNotifyLength,
  checkNotifyMultiplier,
  checkOffsetAlignment,
  checkPresence,
  checkSharedMemoryIds,
  checkVendorDataSize,
  checkVendorDataVendorId,
} from './capability-checks.ts';
import { viewFunction } from './function-view.ts';
import { buildConfig, capabilityOffset, modernCapabilities, modernHeader, virtioCap, type CapabilitySpec } from '../../../test-support/device-checks/test-configs.ts';
import { checkStructureBars } from './bar-checks.ts';
import type { CheckVerdict } from './verdict.ts';

const T = VirtioPciCfgType;

function failure(verdict: CheckVerdict) {
  if (verdict.outcome !== 'fail') throw new Error(`expected a failure, got ${JSON.stringify(verdict)}`);
  const bytes = verdict.evidence.find((e) => e.kind === 'bytes');
  if (bytes?.kind !== 'bytes') throw new Error('expected byte evidence');
  return { message: verdict.message, evidence: bytes };
}

function viewOf(capabilities: CapabilitySpec[], header = modernHeader()) {
  return viewFunction('00:03.0', buildConfig(header, capabilities));
}

/** The modern capability set with the capability at `index` replaced. */
function replaced(index: number, spec: CapabilitySpec): CapabilitySpec[] {
  const caps = modernCapabilities();
  caps[index] = spec;
  return caps;
}

describe('capability checks on a conforming modern function', () => {
  const v = viewOf(modernCapabilities());
  it('pass every rule that applies', () => {
    const verdicts = [
      checkCapabilityList(v),
      checkCapLen(v),
      ...[T.COMMON_CFG, T.NOTIFY_CFG, T.ISR_CFG, T.PCI_CFG].map((type) => checkPresence(v, type)),
      checkOffsetAlignment(v, T.COMMON_CFG, 4),
      checkOffsetAlignment(v, T.DEVICE_CFG, 4),
      checkOffsetAlignment(v, T.NOTIFY_CFG, 2),
      checkNotifyMultiplier(v, T.NOTIFY_CFG, true),
      checkNotifyLength(v, T.NOTIFY_CFG, true),
      checkMsixTableSize(v),
    ];
    expect(verdicts.map((verdict) => verdict.outcome)).toEqual(verdicts.map(() => 'pass'));
  });
  it('finds the shared memory, vendor data and legacy rules inapplicable', () => {
    for (const verdict of [checkSharedMemoryIds(v, T.SHARED_MEMORY_CFG), checkVendorDataVendorId(v, T.VENDOR_CFG), checkVendorDataSize(v, T.VENDOR_CFG), checkLegacyIoBar0(v)]) {
      expect(verdict.outcome).toBe('inapplicable');
    }
  });
});

describe('capability checks on broken functions', () => {
  it('PCI-DEV-01: a list that loops back fails at the pointer', () => {
    const config = buildConfig();
    const last = capabilityOffset(modernCapabilities(), 5);
    config[last + 1] = 0x40;
    const { message, evidence } = failure(checkCapabilityList(viewFunction('x', config)));
    expect(message).toContain('loop');
    expect(evidence.highlight).toEqual([last + 1]);
  });

  it('PCI-DEV-09: a common capability with cap_len 12 fails at its cap_len byte', () => {
    const caps = modernCapabilities();
    caps[0] = { ...(caps[0] as Extract<CapabilitySpec, { kind: 'virtio' }>), capLen: 12 };
    const { evidence } = failure(checkCapLen(viewOf(caps)));
    expect(evidence.highlight).toEqual([0x40 + 2]);
    expect(evidence.actual).toBe('12');
  });

  it('PCI-DEV-09: a notify capability whose cap_len leaves out the multiplier fails', () => {
    const caps = modernCapabilities();
    caps[3] = { ...(caps[3] as Extract<CapabilitySpec, { kind: 'virtio' }>), capLen: 16 };
    expect(failure(checkCapLen(viewOf(caps))).evidence.expected).toBe('>= 20');
  });

  it('PCI-DEV-11: a common offset of 0x102 fails at the offset field', () => {
    const v = viewOf(replaced(0, { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(T.COMMON_CFG, 4, 0x102, 0x100) } }));
    const { message, evidence } = failure(checkOffsetAlignment(v, T.COMMON_CFG, 4));
    expect(message).toContain('0x102');
    expect(evidence.highlight).toEqual([0x48, 0x49, 0x4a, 0x4b]);
  });

  it('PCI-DEV-33: a device config offset of 0x2002 fails', () => {
    const v = viewOf(replaced(2, { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(T.DEVICE_CFG, 4, 0x2002, 0x100) } }));
    expect(failure(checkOffsetAlignment(v, T.DEVICE_CFG, 4)).evidence.actual).toBe('0x2002');
  });

  it('PCI-DEV-24: a notify offset of 0x3001 fails, 0x3002 fails only with NOTIFICATION_DATA', () => {
    const notify = (offset: number): CapabilitySpec => ({ kind: 'virtio', capability: { variant: 'virtio_pci_notify_cap', value: { cap: virtioCap(T.NOTIFY_CFG, 4, offset, 0x100), notifyOffMultiplier: 4 } } });
    expect(failure(checkOffsetAlignment(viewOf(replaced(3, notify(0x3001))), T.NOTIFY_CFG, 2)).message).toContain('0x3001');
    expect(checkOffsetAlignment(viewOf(replaced(3, notify(0x3002))), T.NOTIFY_CFG, 2).outcome).toBe('pass');
    expect(checkOffsetAlignment(viewOf(replaced(3, notify(0x3002))), T.NOTIFY_CFG, 4).outcome).toBe('fail');
  });

  it('PCI-DEV-25: multiplier 3 fails; 1 and 2 pass without NOTIFICATION_DATA; 2 fails with it', () => {
    const notify = (multiplier: number): CapabilitySpec[] =>
      replaced(3, { kind: 'virtio', capability: { variant: 'virtio_pci_notify_cap', value: { cap: virtioCap(T.NOTIFY_CFG, 4, 0x3000, 0x1000), notifyOffMultiplier: multiplier } } });
    const at = capabilityOffset(modernCapabilities(), 3) + 16;
    expect(failure(checkNotifyMultiplier(viewOf(notify(3)), T.NOTIFY_CFG)).evidence.highlight).toEqual([at, at + 1, at + 2, at + 3]);
    expect(checkNotifyMultiplier(viewOf(notify(1)), T.NOTIFY_CFG).outcome).toBe('pass');
    expect(checkNotifyMultiplier(viewOf(notify(2)), T.NOTIFY_CFG).outcome).toBe('pass');
    expect(checkNotifyMultiplier(viewOf(notify(0)), T.NOTIFY_CFG, true).outcome).toBe('pass');
    expect(checkNotifyMultiplier(viewOf(notify(2)), T.NOTIFY_CFG, true).outcome).toBe('fail');
  });

  it('PCI-DEV-26: a notify length of 1 fails; 2 fails only with NOTIFICATION_DATA', () => {
    const notify = (length: number): CapabilitySpec[] =>
      replaced(3, { kind: 'virtio', capability: { variant: 'virtio_pci_notify_cap', value: { cap: virtioCap(T.NOTIFY_CFG, 4, 0x3000, length), notifyOffMultiplier: 0 } } });
    expect(failure(checkNotifyLength(viewOf(notify(1)), T.NOTIFY_CFG)).evidence.actual).toBe('1');
    expect(checkNotifyLength(viewOf(notify(2)), T.NOTIFY_CFG).outcome).toBe('pass');
    expect(checkNotifyLength(viewOf(notify(2)), T.NOTIFY_CFG, true).outcome).toBe('fail');
  });

  it('PCI-DEV-12/23/28/41: a list without ISR or PCI_CFG fails those presence rules', () => {
    const caps = modernCapabilities().filter((_, index) => index !== 1 && index !== 4);
    const v = viewOf(caps);
    expect(failure(checkPresence(v, T.ISR_CFG)).message).toContain('no usable ISR_CFG');
    expect(failure(checkPresence(v, T.PCI_CFG)).evidence.highlight).toEqual([0x34, 0x43, 0x53, 0x63]);
    expect(checkPresence(v, T.COMMON_CFG).outcome).toBe('pass');
  });

  it('PCI-DEV-01: a dump of the header only (lspci -x) leaves the list inapplicable; one cut mid-list passes with a note', () => {
    const header = checkCapabilityList(viewFunction('cut', buildConfig().subarray(0, 0x40), { truncated: true }));
    expect(header.outcome).toBe('inapplicable');
    const mid = checkCapabilityList(viewFunction('cut', buildConfig().subarray(0, 0x60), { truncated: true }));
    expect(mid.outcome === 'pass' && mid.note).toContain('end of the data');
  });

  it('PCI-DEV-12: a truncated dump that ends before the list does is inapplicable, not failed', () => {
    const config = buildConfig().subarray(0, 0x60);
    expect(checkPresence(viewFunction('cut', config, { truncated: true }), T.PCI_CFG).outcome).toBe('inapplicable');
  });

  it('PCI-DEV-35: two shared memory regions with id 1 fail, naming both capabilities', () => {
    const shm = (id: number, offset: number): CapabilitySpec => ({
      kind: 'virtio',
      capability: { variant: 'virtio_pci_cap64', value: { cap: virtioCap(T.SHARED_MEMORY_CFG, 2, offset, 0x1000, id), offsetHi: 0, lengthHi: 0 } },
    });
    const caps = [...modernCapabilities(), shm(1, 0), shm(1, 0x1000)];
    const verdict = checkSharedMemoryIds(viewOf(caps), T.SHARED_MEMORY_CFG);
    expect(verdict.outcome).toBe('fail');
    if (verdict.outcome === 'fail') expect(verdict.evidence).toHaveLength(2);
    expect(checkSharedMemoryIds(viewOf([...modernCapabilities(), shm(1, 0), shm(2, 0x1000)]), T.SHARED_MEMORY_CFG).outcome).toBe('pass');
  });

  it('PCI-DEV-38/39: vendor data with vendor_id 0x1AF4 and cap_len 7 fails both', () => {
    const vendor = (vendorId: number, data: number[]): CapabilitySpec => ({
      kind: 'virtio',
      capability: { variant: 'virtio_pci_vndr_data', value: { capVndr: 9, capNext: 0, capLen: 0, cfgType: T.VENDOR_CFG, vendorId, data: Uint8Array.from(data) } },
    });
    const bad = viewOf([...modernCapabilities(), vendor(0x1af4, [1])]);
    const at = capabilityOffset([...modernCapabilities(), vendor(0x1af4, [1])], 6);
    expect(failure(checkVendorDataVendorId(bad, T.VENDOR_CFG)).evidence.highlight).toEqual([at + 4, at + 5]);
    expect(failure(checkVendorDataSize(bad, T.VENDOR_CFG)).evidence.actual).toBe('7');
    const good = viewOf([...modernCapabilities(), vendor(0x8086, [1, 2])]);
    expect(checkVendorDataVendorId(good, T.VENDOR_CFG).outcome).toBe('pass');
    expect(checkVendorDataSize(good, T.VENDOR_CFG).outcome).toBe('pass');
  });

  it('PCI-DEV-45: an MSI-X table of one vector fails at Message Control', () => {
    const caps = replaced(5, { kind: 'msix', tableSize: 0 });
    const at = capabilityOffset(caps, 5);
    expect(failure(checkMsixTableSize(viewOf(caps))).evidence.highlight).toEqual([at + 2, at + 3]);
  });

  it('PCI-LEG-04/09: a transitional device with a memory BAR0 fails at 0x10', () => {
    const header = modernHeader({ deviceId: 0x1000, revisionId: 0, subsystemId: 1, bar0: 0 });
    expect(failure(checkLegacyIoBar0(viewOf(modernCapabilities(), header))).evidence.highlight).toEqual([0x10]);
    expect(checkLegacyIoBar0(viewOf(modernCapabilities(), { ...header, bar0: 1 })).outcome).toBe('pass');
    expect(checkLegacyIoBar0(viewOf(modernCapabilities(), { ...header, bar0: 1 }), [0, 0, 0, 0, 0x4000, 0]).outcome).toBe('fail');
  });
});

describe('capability checks on the QEMU 7.2 fixtures', () => {
  const dir = join(import.meta.dirname, '../../../fixtures/dumps/qemu-7.2');
  const files = readdirSync(dir).filter((name) => name.endsWith('.lspci'));
  it('has every lspci capture of the repository to check (seven)', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });
  it.each(files)('%s passes every static capability rule', (name) => {
    const parsed = parseLspciText(readFileSync(join(dir, name), 'utf8'), name);
    expect(parsed.devices.length).toBeGreaterThan(0);
    for (const device of parsed.devices) {
      const v = viewFunction(name, device.bytes);
      const verdicts = [
        checkCapabilityList(v),
        checkCapLen(v),
        ...[T.COMMON_CFG, T.NOTIFY_CFG, T.ISR_CFG, T.PCI_CFG].map((type) => checkPresence(v, type)),
        checkOffsetAlignment(v, T.COMMON_CFG, 4),
        checkOffsetAlignment(v, T.DEVICE_CFG, 4),
        checkOffsetAlignment(v, T.NOTIFY_CFG, 2),
        checkNotifyMultiplier(v, T.NOTIFY_CFG),
        checkNotifyLength(v, T.NOTIFY_CFG),
      ];
      expect(verdicts.filter((verdict) => verdict.outcome !== 'pass')).toEqual([]);
    }
  });
});

describe('PCI-DEV-12 and PCI-DEV-54: a common configuration a driver can use', () => {
  const common = (bar: number, length: number): CapabilitySpec => ({ kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(T.COMMON_CFG, bar, 0, length) } });

  it('a COMMON_CFG capability naming a reserved BAR is not present (every driver ignores it)', () => {
    const v = viewOf(replaced(0, common(6, 0x1000)));
    const finding = checkPresence(v, T.COMMON_CFG);
    expect(finding.outcome === 'fail' && finding.violations[0]).toMatchObject({ code: 'capability-missing', structure: 'COMMON_CFG', ignored: ['the one at 0x40 (reserved BAR 6)'] });
    // Another usable one later in the list is enough.
    expect(checkPresence(viewOf([...replaced(0, common(6, 0x1000)), common(4, 0x1000)]), T.COMMON_CFG).outcome).toBe('pass');
  });

  it('fails a length shorter than the 56 bytes of the 1.0 common configuration, passes 56 and more', () => {
    const short = checkCommonLength(viewOf(replaced(0, common(4, 0x30))));
    expect(short.outcome === 'fail' && short.violations[0]).toMatchObject({ code: 'common-length-short', length: 0x30, minimum: 56 });
    if (short.outcome === 'fail') expect(short.evidence[0]).toMatchObject({ kind: 'bytes', highlight: [0x4c, 0x4d, 0x4e, 0x4f], actual: '48' });
    expect(checkCommonLength(viewOf(replaced(0, common(4, 56)))).outcome).toBe('pass');
    expect(checkCommonLength(viewOf(modernCapabilities())).outcome).toBe('pass');
  });

  it('wants the fields of offered features covered: 60 bytes with RING_RESET, 64 with ADMIN_VQ', () => {
    const v = viewOf(replaced(0, common(4, 56)));
    const ringReset = 1n << 40n;
    const adminVq = 1n << 41n;
    const finding = checkCommonLength(v, ringReset);
    expect(finding.outcome === 'fail' && finding.violations[0]).toMatchObject({ code: 'common-length-short', minimum: 60, covers: expect.stringContaining('RING_RESET') });
    expect(checkCommonLength(viewOf(replaced(0, common(4, 60))), ringReset).outcome).toBe('pass');
    expect(checkCommonLength(viewOf(replaced(0, common(4, 60))), ringReset | adminVq).outcome).toBe('fail');
  });
});

describe('one root cause, reported once', () => {
  it('with the Capabilities List bit clear, PCI-DEV-12 fails once and every other capability rule is inapplicable', () => {
    const v = viewOf(modernCapabilities(), modernHeader({ status: 0 }));
    const root = checkPresence(v, T.COMMON_CFG);
    expect(root.outcome === 'fail' && root.violations[0]).toMatchObject({ code: 'capability-list-absent', statusAt: 6, status: 0 });
    const others = [
      checkPresence(v, T.NOTIFY_CFG),
      checkPresence(v, T.ISR_CFG),
      checkPresence(v, T.PCI_CFG),
      checkCapLen(v),
      checkCommonLength(v),
      checkOffsetAlignment(v, T.COMMON_CFG, 4),
      checkNotifyMultiplier(v, T.NOTIFY_CFG),
      checkNotifyLength(v, T.NOTIFY_CFG),
      checkVendorDataVendorId(v, T.VENDOR_CFG),
      checkStructureBars(v, [0, 0, 0, 0, 0x4000, 0]),
      checkMsixTableSize(v),
    ];
    expect(others.map((finding) => finding.outcome)).toEqual(others.map(() => 'inapplicable'));
    const note = others[0]!;
    expect(note.outcome === 'inapplicable' && note.note).toContain('reported once, under PCI-DEV-12');
  });

  it('a claimed function with another vendor ID fails PCI-DEV-02 only: its capabilities are not read as virtio', () => {
    const v = viewFunction('00:03.0', buildConfig(modernHeader({ vendorId: 0x8086 }), modernCapabilities()), { claimedVirtio: true });
    for (const finding of [checkPresence(v, T.COMMON_CFG), checkPresence(v, T.NOTIFY_CFG), checkCapLen(v), checkCommonLength(v)]) {
      expect(finding.outcome).toBe('inapplicable');
      if (finding.outcome === 'inapplicable') expect(finding.note).toContain('PCI-DEV-02');
    }
  });

  it('a 0x1AF4 function with a device ID outside the virtio range gets no capability verdicts', () => {
    const v = viewOf(modernCapabilities(), modernHeader({ deviceId: 0x10f1 }));
    for (const finding of [checkPresence(v, T.COMMON_CFG), checkCapabilityList(v), checkCapLen(v), checkMsixTableSize(v)]) {
      expect(finding.outcome === 'inapplicable' && finding.note).toContain('not a virtio device');
    }
  });
});
