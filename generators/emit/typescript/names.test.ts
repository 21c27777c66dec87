import { describe, expect, it } from 'vitest';
import { docComment, layoutNames } from './names.ts';

describe('generated names', () => {
  it('name every export of a layout after its spec name', () => {
    expect(layoutNames('virtio_pci_cap64')).toEqual({
      type: 'VirtioPciCap64',
      decode: 'decodeVirtioPciCap64',
      encode: 'encodeVirtioPciCap64',
      check: 'checkVirtioPciCap64',
      meta: 'virtioPciCap64Layout',
      codec: 'virtioPciCap64Codec',
      size: 'VIRTIO_PCI_CAP64_SIZE',
      offsets: 'VIRTIO_PCI_CAP64_OFFSETS',
    });
  });

  it('write one-line doc comments that text from the spec cannot close early', () => {
    expect(docComment('Ends */ here,\n  then more.', '  ')).toBe('  /** Ends *\\/ here, then more. */');
  });
});
