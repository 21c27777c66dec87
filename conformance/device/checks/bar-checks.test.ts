import { describe, expect, it } from 'vitest';
import { VirtioPciCfgType as T } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { barSlots, checkSharedMemoryBars, checkStructureBars } from './bar-checks.ts';
import { viewFunction } from './function-view.ts';
import { buildConfig, capabilityOffset, modernCapabilities, modernHeader, virtioCap, type CapabilitySpec } from '../../../test-support/device-checks/test-configs.ts';

const sizes = [0, 0x1000, 0, 0, 0x4000, 0];

function withCommon(bar: number, offset: number, length: number): CapabilitySpec[] {
  const caps = modernCapabilities();
  caps[0] = { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(T.COMMON_CFG, bar, offset, length) } };
  return caps;
}

const shm = (bar: number, offset: number, length: number, offsetHi = 0): CapabilitySpec => ({
  kind: 'virtio',
  capability: { variant: 'virtio_pci_cap64', value: { cap: virtioCap(T.SHARED_MEMORY_CFG, bar, offset, length), offsetHi, lengthHi: 0 } },
});

describe('barSlots', () => {
  it('reads a 64-bit BAR4 as mem64 and BAR5 as its upper half', () => {
    const kinds = barSlots(buildConfig(modernHeader({ bar0: 1 }))).map((slot) => slot.kind);
    expect(kinds).toEqual(['io', 'mem32', 'mem32', 'mem32', 'mem64', 'upper-half']);
  });
});

describe('checkStructureBars', () => {
  it('passes the conforming layout with and without BAR sizes', () => {
    const v = viewFunction('f', buildConfig());
    expect(checkStructureBars(v, sizes).outcome).toBe('pass');
    expect(checkStructureBars(v).outcome).toBe('pass');
  });

  it('fails a capability naming BAR5, the upper half of the 64-bit BAR4, at its bar byte', () => {
    const verdict = checkStructureBars(viewFunction('f', buildConfig(modernHeader(), withCommon(5, 0, 0x100))));
    expect(verdict.outcome).toBe('fail');
    if (verdict.outcome !== 'fail') return;
    expect(verdict.message).toContain('upper half');
    expect(verdict.evidence[0]).toMatchObject({ kind: 'bytes', highlight: [0x44] });
  });

  it('fails an unimplemented BAR and a structure running past its BAR when sizes are known', () => {
    const unimplemented = checkStructureBars(viewFunction('f', buildConfig(modernHeader(), withCommon(2, 0, 0x100))), sizes);
    expect(unimplemented.outcome === 'fail' && unimplemented.message).toContain('does not implement');
    const past = checkStructureBars(viewFunction('f', buildConfig(modernHeader(), withCommon(4, 0x3f00, 0x200))), sizes);
    expect(past.outcome).toBe('fail');
    if (past.outcome === 'fail') expect(past.evidence[0]).toMatchObject({ highlight: [0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f] });
  });
});

describe('checkSharedMemoryBars (PCI-DEV-34)', () => {
  const header = modernHeader({ bar2: 0x0c });
  it('is inapplicable without a region or without BAR sizes', () => {
    expect(checkSharedMemoryBars(viewFunction('f', buildConfig()), sizes).outcome).toBe('inapplicable');
    expect(checkSharedMemoryBars(viewFunction('f', buildConfig(header, [...modernCapabilities(), shm(2, 0, 0x1000)]))).outcome).toBe('inapplicable');
  });

  it('passes a region inside its BAR and fails one whose high offset puts it past the end', () => {
    const shmSizes = [0, 0x1000, 0x10000, 0, 0x4000, 0];
    expect(checkSharedMemoryBars(viewFunction('f', buildConfig(header, [...modernCapabilities(), shm(2, 0, 0x10000)])), shmSizes).outcome).toBe('pass');
    const caps = [...modernCapabilities(), shm(2, 0, 0x1000, 1)];
    const verdict = checkSharedMemoryBars(viewFunction('f', buildConfig(header, caps)), shmSizes);
    expect(verdict.outcome).toBe('fail');
    if (verdict.outcome !== 'fail') return;
    expect(verdict.message).toContain('0x100000000');
    const at = capabilityOffset(caps, 6);
    expect(verdict.evidence[1]).toMatchObject({ highlight: [at + 16, at + 17, at + 18, at + 19, at + 20, at + 21, at + 22, at + 23] });
  });
});
