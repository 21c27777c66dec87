import { describe, expect, it } from 'vitest';
import { BRIDGE, Q35_PCIEXBAR_ENABLE, XVC_ECAM_BASE, XVC_IO_BASE, XVC_IO_LIMIT, XVC_MMIO_BASE, XVC_MMIO_LIMIT, XVC_ROOT_BUS_SLOT, XVC_ROOT_PORT_SECONDARY_BUS, XVC_ROOT_PORT_SLOT } from './q35-platform.ts';

/** ECAM for 256 buses: 256 buses × 32 devices × 8 functions × 4 KiB (PCI Express Base §7.2.2). */
const ECAM_BYTES = 256 * 32 * 8 * 4096;
/** Where x86 places the I/O APIC: nothing of a device may sit at or above it. */
const IOAPIC_BASE = 0xfec0_0000;

describe('the addresses xvc chooses on q35', () => {
  it('puts the ECAM window on a boundary of its own size (PCIEXBAR needs 256 MiB alignment for 256 buses), below the BAR window', () => {
    expect(XVC_ECAM_BASE % ECAM_BYTES).toBe(0);
    expect(XVC_ECAM_BASE + ECAM_BYTES).toBeLessThanOrEqual(XVC_MMIO_BASE);
    expect(Q35_PCIEXBAR_ENABLE).toBe(0x1);
  });

  it('keeps the memory BAR window inside 32-bit space and below the I/O APIC', () => {
    expect(XVC_MMIO_BASE).toBeLessThan(XVC_MMIO_LIMIT);
    expect(XVC_MMIO_LIMIT).toBeLessThan(IOAPIC_BASE);
  });

  it('keeps the I/O BAR window within the 64 KiB of x86 I/O space, above the legacy ports and the 0xCF8 config ports', () => {
    expect(XVC_IO_BASE).toBeGreaterThan(0xcff);
    expect(XVC_IO_LIMIT).toBe(0xffff);
    // A bridge forwards I/O in 4 KiB units: the window must start on one.
    expect(XVC_IO_BASE % 0x1000).toBe(0);
  });

  it('uses two distinct slots of the root bus, and a secondary bus other than the root bus', () => {
    expect(XVC_ROOT_BUS_SLOT).not.toBe(XVC_ROOT_PORT_SLOT);
    for (const slot of [XVC_ROOT_BUS_SLOT, XVC_ROOT_PORT_SLOT]) expect(slot).toBeGreaterThan(0);
    expect(XVC_ROOT_PORT_SECONDARY_BUS).toBeGreaterThan(0);
  });
});

describe('type-1 header offsets', () => {
  it('are those of the PCI-to-PCI Bridge Architecture §3.2', () => {
    expect(BRIDGE).toEqual({
      primaryBus: 0x18,
      secondaryBus: 0x19,
      subordinateBus: 0x1a,
      ioBase: 0x1c,
      ioLimit: 0x1d,
      memoryBase: 0x20,
      memoryLimit: 0x22,
      prefetchBase: 0x24,
      prefetchLimit: 0x26,
    });
  });
});
