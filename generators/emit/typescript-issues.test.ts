/**
 * What the generated decoders and checkers report, on inputs chosen by hand with the issues written
 * out from the spec: truncation, negative offsets, values that do not fit, reserved flag bits.
 */
import { describe, expect, it } from 'vitest';
import { checkVirtioPciCap, decodeVirtioPciCap, type VirtioPciCap } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { decodeVirtioIommuReqAttach, encodeVirtioIommuReqAttach, type VirtioIommuReqAttach } from '../../generated/ts/virtio/virtio-iommu-req-attach.ts';
import { VirtioIommuReqType } from '../../generated/ts/virtio/virtio-iommu-req-head.ts';
import { decodeVirtioPciVndrData } from '../../generated/ts/virtio/virtio-pci-vndr-data.ts';

const summary = (issues: { code: string; path: string[] }[]): string[] => issues.map((issue) => `${issue.code}:${issue.path.join('.')}`).sort();

const validCap: VirtioPciCap = { capVndr: 9, capNext: 0, capLen: 16, cfgType: 1, bar: 4, id: 0, padding: new Uint8Array(2), offset: 0, length: 0x1000 };

describe('truncated input', () => {
  it('reports only truncation for fields that were cut, not constraints of the zero padding', () => {
    // Two bytes: cap_vndr 0x09 and cap_next 0x40; cap_len and everything after it are missing.
    const issues = decodeVirtioPciCap(new Uint8Array([0x09, 0x40])).issues;
    expect(summary(issues)).toEqual(['truncated:bar', 'truncated:cap_len', 'truncated:cfg_type', 'truncated:id', 'truncated:length', 'truncated:offset', 'truncated:padding']);
  });

  it('treats a negative offset as no data at all', () => {
    const bytes = new Uint8Array(16).fill(0xff);
    const issues = decodeVirtioPciCap(bytes, -4).issues;
    expect(issues.every((issue) => issue.code === 'truncated')).toBe(true);
    expect(issues).toHaveLength(9);
  });

  it('does not judge the size of a variable structure it could not read whole', () => {
    // Four bytes of a vendor data capability whose minimum is six.
    const issues = decodeVirtioPciVndrData(new Uint8Array([9, 0, 8, 9])).issues;
    expect(issues.some((issue) => issue.code === 'size-multiple')).toBe(false);
    expect(summary(issues)).toContain('truncated:vendor_id');
  });
});

describe('check() on values built in code', () => {
  it('accepts a value that fits', () => {
    expect(checkVirtioPciCap(validCap)).toEqual([]);
  });

  it('reports values that do not fit their field', () => {
    const issues = checkVirtioPciCap({ ...validCap, capNext: 300, bar: -1, offset: 2 ** 32 + 1, length: 1.5, padding: new Uint8Array(3) });
    expect(summary(issues)).toEqual(['width:bar', 'width:cap_next', 'width:length', 'width:offset', 'width:padding']);
  });
});

/** An ATTACH request with every field zero but its type. */
function attach(flags: number): VirtioIommuReqAttach {
  const empty = decodeVirtioIommuReqAttach(new Uint8Array(24)).value;
  return { ...empty, head: { ...empty.head, type: VirtioIommuReqType.ATTACH }, flags };
}

describe('flag sets', () => {
  it('reports bits an ATTACH request sets that the spec does not define', () => {
    const bytes = encodeVirtioIommuReqAttach(attach(0x80));
    const issues = decodeVirtioIommuReqAttach(bytes).issues;
    expect(summary(issues)).toEqual(['flags:flags']);
    expect(issues[0]!.byteOffset).toBe(12);
  });

  it('accepts the defined BYPASS flag', () => {
    const bytes = encodeVirtioIommuReqAttach(attach(1));
    expect(decodeVirtioIommuReqAttach(bytes).issues).toEqual([]);
  });
});
