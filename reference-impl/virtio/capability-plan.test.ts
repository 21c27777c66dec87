import { describe, expect, it } from 'vitest';
import { CapabilityPlanError, planCapabilities } from './capability-plan.ts';
import { modernNetDescription } from './example-devices.ts';

const inputs = { commonLength: 64, notifyLength: 10, isrLength: 1, deviceLength: 8, msix: { bar: 1, tableOffset: 0, pbaOffset: 64 } };

describe('planCapabilities', () => {
  it('places dword-aligned capabilities from 0x40, chained in order, PCI_CFG after the structures and MSI-X last', () => {
    const plan = planCapabilities(modernNetDescription(), inputs, 256);
    expect(plan.map((cap) => cap.name)).toEqual(['common', 'notify', 'isr', 'device', 'pci-cfg', 'msix']);
    expect(plan[0]!.offset).toBe(0x40);
    plan.forEach((cap, index) => {
      expect(cap.offset % 4).toBe(0);
      expect(cap.bytes[1]).toBe(plan[index + 1]?.offset ?? 0);
      if (index > 0) expect(cap.offset).toBeGreaterThanOrEqual(plan[index - 1]!.offset + plan[index - 1]!.length);
    });
  });

  it('pads vendor data to a multiple of 4 and refuses a chain that does not fit', () => {
    const plan = planCapabilities(modernNetDescription({ vendorData: [{ vendorId: 0x8086, data: Uint8Array.of(1, 2, 3) }] }), inputs, 256);
    const vendor = plan.find((cap) => cap.name === 'vendor-data-0')!;
    expect(vendor.length).toBe(12);
    expect(vendor.bytes[2]).toBe(12);
    const many = Array.from({ length: 20 }, () => ({ vendorId: 0x8086, data: new Uint8Array(10) }));
    expect(() => planCapabilities(modernNetDescription({ vendorData: many }), inputs, 256)).toThrow(CapabilityPlanError);
  });
});
