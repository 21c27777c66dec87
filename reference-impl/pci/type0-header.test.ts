import { describe, expect, it } from 'vitest';
import { barRegisterOffset, PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE, PCI_STD_HEADER_SIZEOF, PCI_TYPE0_BAR_COUNT } from './type0-header.ts';

describe('type-0 header facts', () => {
  it('put the six BAR registers one dword apart from 0x10', () => {
    // Values from the PCI Local Bus specification, written here by hand.
    expect(PCI_TYPE0_BAR_COUNT).toBe(6);
    expect(Array.from({ length: PCI_TYPE0_BAR_COUNT }, (_, index) => barRegisterOffset(index))).toEqual([0x10, 0x14, 0x18, 0x1c, 0x20, 0x24]);
  });

  it('size the spaces and the standard header as the specification does', () => {
    expect([PCI_CFG_SPACE_SIZE, PCI_CFG_SPACE_EXP_SIZE, PCI_STD_HEADER_SIZEOF]).toEqual([256, 4096, 64]);
  });
});
