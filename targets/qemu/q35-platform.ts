/**
 * Facts about QEMU's q35 machine and the PCI-to-PCI bridge header that xvc needs to reach a device, and
 * the addresses xvc chooses for it. None of these are virtio or PCI-endpoint layout facts, so they are not
 * in `spec/`: the q35 values come from QEMU's `hw/pci-host/q35.h` (MCH host bridge), the bridge offsets
 * from Linux `include/uapi/linux/pci_regs.h` (type-1 header). If the spec grows a type-1 header layout,
 * the bridge offsets here should be replaced by its generated module.
 */

/** The q35 MCH host bridge is 00:00.0; its PCIEXBAR register (64 bits) enables and places the ECAM window. */
export const Q35_MCH = { bus: 0, device: 0, function: 0 } as const;
/** Offset of PCIEXBAR in the MCH's configuration space (QEMU `MCH_HOST_BRIDGE_PCIEXBAR`). */
export const Q35_PCIEXBAR_OFFSET = 0x60;
/** PCIEXBAR bit 0: the ECAM window decodes. Length bits 2:1 left 0 select 256 buses (256 MiB). */
export const Q35_PCIEXBAR_ENABLE = 0x1;

/** Where xvc puts the ECAM window: QEMU's and SeaBIOS' usual place, free of RAM with the default memory size. */
export const XVC_ECAM_BASE = 0xb000_0000;
/** Where xvc starts allocating memory BARs: above the ECAM window, below the IOAPIC/LAPIC area at 0xFEC00000. */
export const XVC_MMIO_BASE = 0xc000_0000;
export const XVC_MMIO_LIMIT = 0xfebf_ffff;
/** Where xvc starts allocating I/O BARs: above the legacy ports that q35 decodes itself. */
export const XVC_IO_BASE = 0xc000;
export const XVC_IO_LIMIT = 0xffff;

/** Slot of the device under test on the root bus (00:03.0, as in the fixtures). */
export const XVC_ROOT_BUS_SLOT = 3;
/** Slot of the `pcie-root-port` on the root bus; the device sits at 01:00.0 behind it. */
export const XVC_ROOT_PORT_SLOT = 4;
/** Secondary bus number xvc programs into the root port. */
export const XVC_ROOT_PORT_SECONDARY_BUS = 1;

/** Type-1 (bridge) header offsets (Linux `pci_regs.h`: PCI_PRIMARY_BUS ... PCI_MEMORY_LIMIT). */
export const BRIDGE = {
  primaryBus: 0x18,
  secondaryBus: 0x19,
  subordinateBus: 0x1a,
  /** I/O base and limit bytes: address bits 15:12 in bits 7:4 (4 KiB granularity). */
  ioBase: 0x1c,
  ioLimit: 0x1d,
  /** Memory base and limit words: address bits 31:20 in bits 15:4 (1 MiB granularity). */
  memoryBase: 0x20,
  memoryLimit: 0x22,
  /** Prefetchable window; xvc disables it (base above limit) and routes every BAR through the memory window. */
  prefetchBase: 0x24,
  prefetchLimit: 0x26,
} as const;
