/**
 * Hand-built config spaces for the check tests, made with the generated encoders: a conforming
 * modern virtio-net-like function, and a builder to break it one field at a time.
 */
import { PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAP_FIRST_OFFSET, PCI_CFG_SPACE_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { encodePciMsixCap, PCI_MSIX_CAP_SIZE } from '../../generated/ts/pci/pci-msix-cap.ts';
import { encodePciType0Header, PciHeaderType, PciStatus, type PciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { VirtioPciCfgType, type VirtioPciCap } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { encodeVirtioPciCapability, type VirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';
import { layoutCodecs } from '../../generated/ts/registry.ts';

/** A capability to place: a virtio capability (capNext filled in), or the MSI-X capability with a table size. */
export type CapabilitySpec = { kind: 'virtio'; capability: VirtioPciCapability; capLen?: number } | { kind: 'msix'; tableSize: number };

/** A generic virtio capability header; capNext and capLen are filled by {@link buildConfig}. */
export function virtioCap(cfgType: number, bar: number, offset: number, length: number, id = 0): VirtioPciCap {
  return { capVndr: PciCapId.VNDR, capNext: 0, capLen: 0, cfgType, bar, id, padding: new Uint8Array(2), offset, length };
}

/** Header of a modern virtio-net function with a 64-bit BAR4 and a 32-bit BAR1 (the QEMU shape). */
export function modernHeader(overrides: Partial<PciType0Header> = {}): PciType0Header {
  return {
    vendorId: 0x1af4,
    deviceId: 0x1041,
    command: 0,
    status: PciStatus.CAP_LIST,
    revisionId: 1,
    progIf: 0,
    subClass: 0,
    baseClass: 2,
    cacheLineSize: 0,
    latencyTimer: 0,
    headerLayout: PciHeaderType.NORMAL,
    multiFunction: false,
    bist: 0,
    bar0: 0,
    bar1: 0,
    bar2: 0,
    bar3: 0,
    bar4: 0x0c,
    bar5: 0,
    cardbusCis: 0,
    subsystemVendorId: 0x1af4,
    subsystemId: 0x1100,
    romEnable: false,
    romReserved: 0,
    romAddress: 0,
    capabilitiesPointer: PCI_CAP_FIRST_OFFSET,
    reserved: new Uint8Array(7),
    interruptLine: 0,
    interruptPin: 1,
    minGnt: 0,
    maxLat: 0,
    ...overrides,
  };
}

/** The capabilities of a conforming modern function: common, ISR, device, notify, PCI_CFG (all in BAR4), MSI-X. */
export function modernCapabilities(): CapabilitySpec[] {
  return [
    { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(VirtioPciCfgType.COMMON_CFG, 4, 0, 0x1000) } },
    { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(VirtioPciCfgType.ISR_CFG, 4, 0x1000, 0x1000) } },
    { kind: 'virtio', capability: { variant: 'virtio_pci_cap', value: virtioCap(VirtioPciCfgType.DEVICE_CFG, 4, 0x2000, 0x1000) } },
    { kind: 'virtio', capability: { variant: 'virtio_pci_notify_cap', value: { cap: virtioCap(VirtioPciCfgType.NOTIFY_CFG, 4, 0x3000, 0x1000), notifyOffMultiplier: 4 } } },
    {
      kind: 'virtio',
      capability: { variant: 'virtio_pci_cfg_cap', value: { ...virtioCap(VirtioPciCfgType.PCI_CFG, 0, 0, 0), pciCfgData: new Uint8Array(4) } },
    },
    { kind: 'msix', tableSize: 3 },
  ];
}

/** Size in bytes a capability takes in config space. */
function sizeOf(spec: CapabilitySpec): number {
  if (spec.kind === 'msix') return PCI_MSIX_CAP_SIZE;
  const natural = layoutCodecs[spec.capability.variant]?.meta.size ?? 0;
  const data = spec.capability.variant === 'virtio_pci_vndr_data' ? spec.capability.value.data.length : 0;
  return natural + data;
}

/** Lays out the header and capabilities (dword aligned, linked from 0x40) into a 256-byte config space. */
export function buildConfig(header: PciType0Header = modernHeader(), capabilities: CapabilitySpec[] = modernCapabilities()): Uint8Array {
  const config = new Uint8Array(PCI_CFG_SPACE_SIZE);
  encodePciType0Header(header, config, 0);
  let at = PCI_CAP_FIRST_OFFSET;
  capabilities.forEach((spec, index) => {
    const size = sizeOf(spec);
    const next = index + 1 < capabilities.length ? (at + size + 3) & ~3 : 0;
    if (spec.kind === 'msix') {
      encodePciMsixCap({ capId: PciCapId.MSIX, capNext: next, tableSize: spec.tableSize, controlReserved: 0, functionMask: false, enable: false, tableBir: 1, tableOffset: 0, pbaBir: 1, pbaOffset: 0x100 }, config, at);
    } else {
      const capLen = spec.capLen ?? size;
      const u = spec.capability;
      const value: VirtioPciCapability =
        u.variant === 'virtio_pci_notify_cap' || u.variant === 'virtio_pci_cap64'
          ? ({ variant: u.variant, value: { ...u.value, cap: { ...u.value.cap, capNext: next, capLen } } } as VirtioPciCapability)
          : ({ variant: u.variant, value: { ...u.value, capNext: next, capLen } } as VirtioPciCapability);
      encodeVirtioPciCapability(value, config, at);
    }
    at = next;
  });
  return config;
}

/** Config offset of the `index`-th capability that {@link buildConfig} places. */
export function capabilityOffset(capabilities: CapabilitySpec[], index: number): number {
  let at = PCI_CAP_FIRST_OFFSET;
  for (let i = 0; i < index; i++) at = (at + sizeOf(capabilities[i]!) + 3) & ~3;
  return at;
}
