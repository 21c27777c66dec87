/**
 * Facts about configuration spaces and the type-0 header that several modules need, all taken from
 * the generated PCI layouts and constants: space sizes and where each BAR register sits.
 */
import { PCI_BASE_ADDRESS_0, PCI_BAR_MEM32_SIZE, PCI_STD_NUM_BARS } from '../../generated/ts/pci/pci-bar-mem32.ts';
import { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE, PCI_STD_HEADER_SIZEOF } from '../../generated/ts/pci/pci-constants.ts';

export { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE, PCI_STD_HEADER_SIZEOF };

/** Number of BAR slots in a type-0 header. */
export const PCI_TYPE0_BAR_COUNT: number = PCI_STD_NUM_BARS;

/** Config-space offset of BAR slot `index` (0-based; the caller keeps it below `PCI_TYPE0_BAR_COUNT`). */
export function barRegisterOffset(index: number): number {
  return PCI_BASE_ADDRESS_0 + index * PCI_BAR_MEM32_SIZE;
}
